"""Blind review: what a reviewer is shown of a proposal, on every channel.

Every name, file name and field that a reviewer of a blind call sees comes from here: the
reviewer's pages, their file downloads and the API all call these functions, so a rule
cannot be kept on one channel and forgotten on another. A blind reviewer sees the
proposal's reference, never its organisation; files are named by the reference and
their kind; the history says "Applicant" or "UNSCAR secretariat" and gives no reasons.
"""
from ..files import EXTENSIONS
from ..proposals.models import Attachment, Proposal
from ..proposals.permissions import can_view_proposal
from ..proposals.queries import own_files

KIND_LABELS = {".pdf": "PDF", ".docx": "Word", ".xlsx": "Excel", ".png": "PNG image", ".jpg": "JPEG image"}


def sees_anonymised(user, proposal: Proposal) -> bool:
    """A reviewer who sees the proposal only through an assignment on a blind call. Its
    applicant, the staff and donors see it by their own right, never anonymised.
    Needs proposal.call loaded."""
    return proposal.call.blind_review and not can_view_proposal(user, proposal)


def neutral_label(proposal: Proposal, attachment: Attachment, number: int) -> str:
    """How a blind reviewer's page names a file: "UNSCAR-2026-0017 attachment 1 (PDF)"."""
    kind = KIND_LABELS.get(EXTENSIONS.get(attachment.media_type, ""), "file")
    return f"{proposal.reference} attachment {number} ({kind})"


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


def reviewer_history(proposal: Proposal) -> list[dict]:
    """Transitions and dates; the applicant's people are "Applicant", reasons are left out."""
    return [{"status": change.to_status.value, "at": change.at, "reason": None,
             "by": "Applicant" if change.actor.organisation_id == proposal.organisation_id else "UNSCAR secretariat"}
            for change in proposal.history]


def anonymise(item: dict, proposal: Proposal) -> dict:
    """A proposal dumped for the API, as a blind reviewer gets it: no organisation, neutral
    file names."""
    item.pop("organisation_id", None)
    item.pop("organisation", None)
    for row, file in zip(item.get("attachments", []), reviewer_files(proposal, anonymised=True)):
        row["filename"] = file["download_name"]
    return item
