"""Blind review: what a reviewer is shown of a proposal, on every channel.

Every name, file name and field that a reviewer of a blind call sees comes from here: the
reviewer's pages, their file downloads and the API all call these functions, so a rule
cannot be kept on one channel and forgotten on another. A blind reviewer sees the
proposal's reference, never its organisation; files are named by the reference and
their kind, and downloaded without the document metadata their software wrote (a PDF's
Author, a Word file's Company, a photo's EXIF: scrub.py); the history says "Applicant" or
"UNSCAR secretariat" and gives no reasons.
"""
import logging

from flask_babel import gettext as _, lazy_gettext as _l

from ..errors import Conflict, NotFound
from ..files import EXTENSIONS, send_bytes, send_stored, stored_path
from ..proposals.models import Attachment, Proposal
from ..proposals.permissions import can_view_proposal
from ..proposals.queries import own_files
from ..scrub import ScrubFailed, scrub

log = logging.getLogger(__name__)

KIND_LABELS = {".pdf": "PDF", ".docx": "Word", ".xlsx": "Excel", ".png": _l("PNG image"), ".jpg": _l("JPEG image")}


def sees_anonymised(user, proposal: Proposal) -> bool:
    """A reviewer who sees the proposal only through an assignment on a blind call. Its
    applicant, the staff and donors see it by their own right, never anonymised.
    Needs proposal.call loaded."""
    return proposal.call.blind_review and not can_view_proposal(user, proposal)


def neutral_label(proposal: Proposal, attachment: Attachment, number: int) -> str:
    """How a blind reviewer's page names a file: "UNSCAR-2026-0017 attachment 1 (PDF)"."""
    kind = KIND_LABELS.get(EXTENSIONS.get(attachment.media_type, "")) or _("file")
    return _("%(reference)s attachment %(number)s (%(kind)s)", reference=proposal.reference, number=number, kind=kind)


def neutral_filename(proposal: Proposal, attachment: Attachment, number: int) -> str:
    """The name a blind reviewer's download carries: "UNSCAR-2026-0017-attachment-1.pdf"."""
    return f"{proposal.reference}-attachment-{number}{EXTENSIONS.get(attachment.media_type, '')}"


def reviewer_files(proposal: Proposal, anonymised: bool) -> list[dict]:
    """The proposal's own files (never the answers to the secretariat's questions) as a
    reviewer gets them: {"file", "number", "label", "download_name"}."""
    rows = []
    for number, file in enumerate(own_files(proposal), start=1):
        rows.append({"file": file, "number": number,
                     "label": neutral_label(proposal, file, number) if anonymised else file.filename,
                     "download_name": neutral_filename(proposal, file, number) if anonymised else file.filename})
    return rows


def reviewer_bytes(file: Attachment) -> bytes:
    """A file's bytes as a blind reviewer downloads them: without identifying metadata."""
    try:
        return scrub(stored_path(file.storage_key).read_bytes(), file.media_type)
    except ScrubFailed as error:
        # Never the original instead: its metadata may name the applicant.
        log.warning("Attachment %s cannot be scrubbed: %s", file.id, error)
        raise Conflict(_("This file cannot be made anonymous for download; the secretariat can send you a "
                         "copy without its document properties.")) from None


def send_to_reviewer(proposal: Proposal, attachment_id: int, anonymised: bool):
    """The download of one of the proposal's own files by a reviewer who may read the
    proposal (the caller checked): its neutral name and scrubbed bytes when anonymised, else
    as uploaded. A clarification answer's file, or another proposal's, is not found."""
    row = next((r for r in reviewer_files(proposal, anonymised) if r["file"].id == attachment_id), None)
    if row is None:
        raise NotFound(_("No such attachment."))
    file = row["file"]
    if not anonymised:
        return send_stored(file.storage_key, row["download_name"], file.media_type, file.sha256)
    return send_bytes(reviewer_bytes(file), row["download_name"], file.media_type)


def reviewer_history(proposal: Proposal) -> list[dict]:
    """Transitions and dates; the applicant's people are "Applicant", reasons are left out."""
    applicant, secretariat = _("Applicant"), _("UNSCAR secretariat")
    return [{"status": change.to_status.value, "at": change.at, "reason": None,
             "by": applicant if change.actor.organisation_id == proposal.organisation_id else secretariat}
            for change in proposal.history]


def anonymise(item: dict, proposal: Proposal) -> dict:
    """A proposal dumped for the API, as a blind reviewer gets it: no organisation, neutral
    file names, no checksum or size of the files as uploaded."""
    item.pop("organisation_id", None)
    item.pop("organisation", None)
    for row, file in zip(item.get("attachments", []), reviewer_files(proposal, anonymised=True)):
        row["filename"] = file["download_name"]
        # The original's checksum and size would match a copy found elsewhere (the applicant's
        # website), and not the scrubbed bytes the reviewer downloads.
        row.pop("sha256", None)
        row.pop("size", None)
    return item
