"""The secretariat's screening decision on a submitted proposal (the automatic checks'
verdict is checks.py, kept as a snapshot at submission)."""
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from sqlalchemy import func, select

from ..errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from ..extensions import db
from ..locking import lock_one
from ..proposals.models import PROPOSAL_STATUS_LABELS, Proposal, ProposalStatus
from ..proposals.services import change_status, mail_members
from .models import Clarification

REASON_REQUIRED = _l("Give the reason for screening the proposal out: the applicant reads it.")


class OpenQuestions(Conflict):
    """Screening out while the applicant has a question to answer: asked to confirm first."""

    def __init__(self, count: int):
        super().__init__(ngettext(
            "%(num)d clarification question to the applicant is not answered yet. Wait for the answer, "
            "or confirm that the proposal is screened out without it.",
            "%(num)d clarification questions to the applicant are not answered yet. Wait for the answer, "
            "or confirm that the proposal is screened out without it.", count))
        self.count = count


def open_questions(proposal: Proposal) -> int:
    """Questions of the secretariat the applicant has not answered."""
    return db.session.scalar(select(func.count()).select_from(Clarification).where(
        Clarification.proposal_id == proposal.id, Clarification.answered_at.is_(None)))


def screen_proposal(actor, proposal: Proposal, decision: str, reason: str | None, *,
                    confirm_open_questions: bool = False) -> Proposal:
    """The secretariat's screening: eligible → under review, ineligible → screened out.

    The reason is optional for "eligible" and required for "ineligible" (the applicant is
    told why). Screening out a proposal whose applicant still has a question to answer
    would cut the conversation short: unless confirmed, it raises OpenQuestions."""
    if not actor.has_role("secretariat"):
        raise PermissionDenied(_("Only the secretariat screens proposals."))
    reason = (reason or "").strip() or None
    if decision == "ineligible" and reason is None:
        message = str(REASON_REQUIRED)
        raise ValidationFailed(message, errors={"reason": [message]})
    lock_one(select(Proposal).where(Proposal.id == proposal.id))
    db.session.refresh(proposal)
    if proposal.status != ProposalStatus.submitted:
        raise InvalidTransition(_("The proposal is %(status)s; only submitted proposals are screened.",
                                  status=PROPOSAL_STATUS_LABELS[proposal.status.value]))
    if decision == "ineligible" and not confirm_open_questions and (count := open_questions(proposal)):
        raise OpenQuestions(count)
    to = ProposalStatus.under_review if decision == "eligible" else ProposalStatus.screened_out
    proposal.screening_reason = reason
    change_status(actor, proposal, to, reason)
    mail_members(proposal, _l("Screening of %(reference)s", reference=proposal.reference), "screening_decision",
                 kind="screening", eligible=decision == "eligible", reason=reason)
    return proposal
