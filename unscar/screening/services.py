"""The secretariat's screening decision on a submitted proposal (the automatic checks'
verdict is checks.py, kept as a snapshot at submission)."""
from sqlalchemy import select

from ..errors import InvalidTransition, PermissionDenied
from ..extensions import db
from ..locking import lock_one
from ..proposals.models import Proposal, ProposalStatus
from ..proposals.services import change_status, mail_members


def screen_proposal(actor, proposal: Proposal, decision: str, reason: str) -> Proposal:
    """The secretariat's screening: eligible → under review, ineligible → screened out."""
    if not actor.has_role("secretariat"):
        raise PermissionDenied("Only the secretariat screens proposals.")
    lock_one(select(Proposal).where(Proposal.id == proposal.id))
    db.session.refresh(proposal)
    if proposal.status != ProposalStatus.submitted:
        raise InvalidTransition(f"The proposal is {proposal.status.value}; only submitted proposals are screened.")
    to = ProposalStatus.under_review if decision == "eligible" else ProposalStatus.screened_out
    proposal.screening_reason = reason
    change_status(actor, proposal, to, reason)
    mail_members(proposal, f"Screening of {proposal.reference}", "screening_decision", kind="screening",
                  eligible=decision == "eligible", reason=reason)
    return proposal
