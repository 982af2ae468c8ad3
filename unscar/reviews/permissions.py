"""Who may do what on the review pages: predicates for views and templates alike.

Each gives the answer its service gives (panels.py, assigning.py, services.py), so a
button is shown exactly when the action would be accepted.
"""
from flask_babel import gettext as _
from sqlalchemy import Select, select

from ..errors import InvalidTransition
from ..extensions import db
from ..permissions import has_role
from ..roles import STAFF_ROLES
from .models import Assignment, AssignmentStatus, Declaration
from .panels import has_declared, panel_ids
from .services import reviews_open


def assigned_proposal_ids(user) -> Select:
    """The proposals a reviewer reads through its active assignments (DESIGN.md's visibility
    table), once it signed the call's declaration: declining or declaring a conflict ends
    access at once."""
    declared = select(Declaration.call_id).where(Declaration.user_id == user.id)
    return select(Assignment.proposal_id).where(Assignment.reviewer_id == user.id,
                                                Assignment.status == AssignmentStatus.active,
                                                Assignment.call_id.in_(declared))


def is_assigned_to(user, proposal) -> bool:
    """An active assignment to the proposal, declaration signed or not."""
    return has_role(user, "reviewer") and proposal.deleted_at is None and db.session.scalar(
        select(Assignment.id).where(Assignment.reviewer_id == user.id, Assignment.proposal_id == proposal.id,
                                    Assignment.status == AssignmentStatus.active).limit(1)) is not None


def require_declaration(user, call) -> None:
    """Nothing of a call's proposals is read before its confidentiality declaration (409)."""
    if not has_declared(user, call):
        raise InvalidTransition(_("Sign the call's confidentiality and conflict-of-interest declaration first."))


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
