"""Clarification questions of the secretariat, answered by the applicant with text and
files, without reopening the proposal."""
from flask_babel import gettext as _, lazy_gettext as _l

from ..audit.services import record_event
from ..dates import utcnow
from ..errors import InvalidTransition, NotFound, PermissionDenied
from ..extensions import db
from ..proposals.models import Attachment, Proposal, ProposalStatus
from ..proposals.permissions import is_own
from ..proposals.services import mail_members, refuse_copy, store_upload
from ..uploads import check_upload
from .models import Clarification

ASKABLE_STATES = (ProposalStatus.submitted, ProposalStatus.under_review)


def ask_clarification(actor, proposal: Proposal, question: str) -> Clarification:
    if not actor.has_role("secretariat"):
        raise PermissionDenied(_("Only the secretariat asks clarification questions."))
    if proposal.status not in ASKABLE_STATES:
        raise InvalidTransition(_("Questions are asked about submitted proposals and proposals under review."))
    clarification = Clarification(proposal=proposal, question=question, asked_by_id=actor.id)
    db.session.add(clarification)
    db.session.flush()
    record_event(actor, "clarification.asked", clarification, after={"proposal_id": proposal.id,
                                                                     "question": question})
    mail_members(proposal, _l("A question about %(reference)s", reference=proposal.reference),
                 "clarification_request", kind="clarification", question=question)
    return clarification


def _require_own(actor, clarification: Clarification) -> None:
    if not is_own(actor, clarification.proposal) or clarification.proposal.deleted_at is not None:
        raise NotFound(_("No such clarification."))


def answer_clarification(actor, clarification: Clarification, answer: str) -> Clarification:
    """The applicant's answer; it may be corrected until the proposal is decided."""
    _require_own(actor, clarification)
    if clarification.proposal.status not in ASKABLE_STATES:
        raise InvalidTransition(_("The proposal is past the stage where questions are answered."))
    before = clarification.answer
    clarification.answer = answer
    clarification.answered_by_id = actor.id
    clarification.answered_at = utcnow()
    record_event(actor, "clarification.answered", clarification, before={"answer": before},
                 after={"answer": answer})
    return clarification


def add_clarification_file(actor, clarification: Clarification, filename: str, data: bytes) -> Attachment:
    """A file with the answer; the same file twice raises AlreadyAttached."""
    _require_own(actor, clarification)
    if clarification.proposal.status not in ASKABLE_STATES:
        raise InvalidTransition(_("The proposal is past the stage where questions are answered."))
    checked = check_upload(filename, data)
    refuse_copy(clarification.proposal, clarification.id, checked)
    attachment = Attachment(proposal_id=clarification.proposal_id, clarification_id=clarification.id,
                            **store_upload(actor, checked))
    db.session.add(attachment)
    db.session.flush()
    record_event(actor, "attachment.added", attachment, after={"clarification_id": clarification.id,
                                                                "filename": attachment.filename})
    return attachment
