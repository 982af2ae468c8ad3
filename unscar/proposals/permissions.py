"""Who sees and changes proposals (DESIGN.md's visibility table), as predicates and their
query twins. Reviewers come with the review panels; until then they see none."""
from sqlalchemy import Select, false, or_, select

from ..calls.models import Call, CallStatus
from ..permissions import has_role
from .models import Proposal, ProposalStatus

STAFF_ROLES = ("secretariat", "admin")
# Donors see proposals under review or later, in calls in review or later; never drafts.
DONOR_PROPOSAL_STATES = (ProposalStatus.under_review, ProposalStatus.recommended,
                         ProposalStatus.not_recommended, ProposalStatus.approved, ProposalStatus.rejected)
DONOR_CALL_STATES = (CallStatus.in_review, CallStatus.decided, CallStatus.archived)


def is_own(user, proposal: Proposal) -> bool:
    """The proposal belongs to the user's organisation and the user is an applicant."""
    return (has_role(user, "applicant") and user.organisation_id is not None
            and proposal.organisation_id == user.organisation_id)


def can_view_proposal(user, proposal: Proposal) -> bool:
    """Needs proposal.call loaded."""
    if proposal.deleted_at is not None:
        return False
    if has_role(user, *STAFF_ROLES) or is_own(user, proposal):
        return True
    if has_role(user, "donor"):
        return proposal.status in DONOR_PROPOSAL_STATES and proposal.call.status in DONOR_CALL_STATES
    return False


def visible_proposals(user) -> Select:
    """The query twin of can_view_proposal."""
    stmt = select(Proposal).where(Proposal.deleted_at.is_(None))
    if has_role(user, *STAFF_ROLES):
        return stmt
    conditions = []
    if has_role(user, "applicant") and user.organisation_id is not None:
        conditions.append(Proposal.organisation_id == user.organisation_id)
    if has_role(user, "donor"):
        conditions.append(Proposal.status.in_(DONOR_PROPOSAL_STATES)
                          & Proposal.call_id.in_(select(Call.id).where(Call.status.in_(DONOR_CALL_STATES))))
    return stmt.where(or_(*conditions)) if conditions else stmt.where(false())


def can_edit_proposal(user, proposal: Proposal) -> bool:
    return is_own(user, proposal) and proposal.is_editable


def can_screen(user) -> bool:
    return has_role(user, "secretariat")
