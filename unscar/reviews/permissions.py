"""Who may do what on the review pages: predicates for views and templates alike.

Each gives the answer its service gives (panels.py, assigning.py, services.py), so a
button is shown exactly when the action would be accepted.
"""
from sqlalchemy import select

from ..calls.models import Call, CallStatus
from ..extensions import db
from ..permissions import has_role
from ..roles import STAFF_ROLES
from .models import Assignment, AssignmentStatus
from .panels import has_declared, panel_ids
from .scoring import latest_recommendation_id
from .services import reviews_open



def is_own_active(user, assignment: Assignment) -> bool:
    """The reviewer's own assignment, still active: declining or a conflict ends access."""
    return (has_role(user, "reviewer") and assignment.reviewer_id == user.id
            and assignment.status == AssignmentStatus.active)


def is_on_call(user, call) -> bool:
    """On the call's panel or assigned to one of its proposals (who signs its declaration)."""
    if not has_role(user, "reviewer"):
        return False
    return user.id in panel_ids(call) or db.session.scalar(
        select(Assignment.id).where(Assignment.call_id == call.id, Assignment.reviewer_id == user.id).limit(1)
    ) is not None


def can_sign_declaration(user, call) -> bool:
    return is_on_call(user, call) and not has_declared(user, call)


def is_submitted(assignment: Assignment) -> bool:
    review = assignment.review
    return review is not None and review.submitted_at is not None


def can_review(user, assignment: Assignment) -> bool:
    """Write or submit: own active assignment, declaration signed, reviews open, not yet submitted.
    Needs assignment.proposal.call loaded."""
    call = assignment.proposal.call
    return (is_own_active(user, assignment) and not is_submitted(assignment)
            and reviews_open(call) and has_declared(user, call))


def can_decline(user, assignment: Assignment) -> bool:
    """A submitted review cannot be declined; a conflict can still be declared."""
    return is_own_active(user, assignment) and not is_submitted(assignment)


def can_declare_conflict(user, assignment: Assignment) -> bool:
    return is_own_active(user, assignment)


def can_manage_panel(user) -> bool:
    """Panels, assignments and returned reviews are the secretariat's (not the admin's)."""
    return has_role(user, "secretariat")


def can_follow_reviews(user) -> bool:
    """The panel and progress pages: the secretariat and admins see them."""
    return has_role(user, *STAFF_ROLES)


def can_return_review(user, assignment: Assignment) -> bool:
    review = assignment.review
    return (can_manage_panel(user) and review is not None and review.submitted_at is not None
            and review.voided_at is None)


def can_edit_reviewer_profile(user, reviewer) -> bool:
    """The secretariat (and admins) keep any reviewer's profile; a reviewer keeps its own."""
    return has_role(reviewer, "reviewer") and (has_role(user, *STAFF_ROLES) or
                                               (has_role(user, "reviewer") and user.id == reviewer.id))


# The ranking and the recommendation (DESIGN.md: donors see them, never reviewer identities,
# draft reviews or review texts).


def can_view_ranking(user, call) -> bool:
    """Staff see any call's ranking; donors those of calls in review or later."""
    if has_role(user, *STAFF_ROLES):
        return True
    return has_role(user, "donor") and call.status in (CallStatus.in_review, CallStatus.decided,
                                                        CallStatus.archived)


def can_view_review_scores(user) -> bool:
    """Each review's own figures, numbered without names: staff only, never donors."""
    return has_role(user, *STAFF_ROLES)


def can_compute_recommendation(user) -> bool:
    return has_role(user, "secretariat")


def can_adopt_recommendation(user, stored) -> bool:
    """adopt_recommendation's refusals: the secretariat, the call in review, the latest
    recommendation, not adopted yet."""
    if stored is None or not has_role(user, "secretariat") or stored.adopted_at is not None:
        return False
    return (db.session.get(Call, stored.call_id).status == CallStatus.in_review
            and latest_recommendation_id(stored.call_id) == stored.id)
