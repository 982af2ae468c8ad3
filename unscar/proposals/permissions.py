"""Who sees and changes proposals (DESIGN.md's visibility table), as predicates and their
query twins: its organisation, the staff and the donors. Reviewers see the proposals of
their active assignments by the rule of the reviews part (reviews/permissions.py), through
its own pages and the API; proposals/ knows nothing of reviews."""
from sqlalchemy import Select, false, or_, select

from ..calls.eligibility import applicant_refusal
from ..calls.models import Call, CallStatus
from ..dates import utcnow
from ..permissions import has_role
from ..roles import STAFF_ROLES
from .models import Proposal, ProposalStatus

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
    return (has_role(user, "donor") and proposal.status in DONOR_PROPOSAL_STATES
            and proposal.call.status in DONOR_CALL_STATES)


def visible_proposals(user, also=None) -> Select:
    """The query twin of can_view_proposal; `also`, an SQL condition, adds the proposals a
    part above lets the user see (a reviewer's assigned ones)."""
    stmt = select(Proposal).where(Proposal.deleted_at.is_(None))
    if has_role(user, *STAFF_ROLES):
        return stmt
    conditions = []
    if has_role(user, "applicant") and user.organisation_id is not None:
        conditions.append(Proposal.organisation_id == user.organisation_id)
    if has_role(user, "donor"):
        conditions.append(Proposal.status.in_(DONOR_PROPOSAL_STATES)
                          & Proposal.call_id.in_(select(Call.id).where(Call.status.in_(DONOR_CALL_STATES))))
    if also is not None:
        conditions.append(also)
    return stmt.where(or_(*conditions)) if conditions else stmt.where(false())


def can_edit_proposal(user, proposal: Proposal) -> bool:
    return is_own(user, proposal) and proposal.is_editable


# The buttons of the proposal pages: each predicate gives the answer its service gives,
# so a button is shown exactly when the action would be accepted (services.py decides).

def can_start_proposal(user, call) -> bool:
    """A member of an applicant organisation the call accepts, on a call that accepts proposals now."""
    return (has_role(user, "applicant") and user.organisation_id is not None
            and call.accepts_submissions(utcnow()) and start_refusal(user, call) is None)


def start_refusal(user, call) -> dict | None:
    """The eligibility rule that keeps the user's organisation from applying to the call
    (a problem {"code", "message"}), or None: shown on the call page instead of the button."""
    if not (has_role(user, "applicant") and user.organisation is not None):
        return None
    return applicant_refusal(call, user.organisation.type)


def can_submit_proposal(user, proposal: Proposal) -> bool:
    """Own draft on a call that accepts proposals; the checks may still refuse it."""
    return can_edit_proposal(user, proposal) and proposal.call.accepts_submissions(utcnow())


def can_reopen_proposal(user, proposal: Proposal) -> bool:
    return (is_own(user, proposal) and proposal.status == ProposalStatus.submitted
            and utcnow() < proposal.call.closes_at)


def can_withdraw_proposal(user, proposal: Proposal) -> bool:
    """Until the decision (the review's outcome shows to the applicant as under review)."""
    return is_own(user, proposal) and proposal.status in (ProposalStatus.submitted, ProposalStatus.under_review,
                                                          ProposalStatus.recommended, ProposalStatus.not_recommended)


def can_delete_proposal(user, proposal: Proposal) -> bool:
    return can_edit_proposal(user, proposal)


def can_see_checks(user, proposal: Proposal) -> bool:
    """The checklist is for the applicant and the secretariat (API.md "checks")."""
    return is_own(user, proposal) or has_role(user, *STAFF_ROLES)


# Applicants learn nothing of the review before the decision (DESIGN.md): an adopted
# recommendation shows to them as "under review" until the donors decide.
REVIEW_OUTCOMES = (ProposalStatus.recommended, ProposalStatus.not_recommended)


def hides_review_outcome(user, proposal: Proposal) -> bool:
    return is_own(user, proposal) and not has_role(user, *STAFF_ROLES)


def shown_status(user, proposal: Proposal) -> ProposalStatus:
    if proposal.status in REVIEW_OUTCOMES and hides_review_outcome(user, proposal):
        return ProposalStatus.under_review
    return proposal.status
