"""Who may see and change calls: predicates for views, API handlers and templates alike."""
from sqlalchemy import Select, select

from ..permissions import has_role
from ..roles import STAFF_ROLES
from .models import Call, CallStatus


def sees_drafts(user) -> bool:
    return has_role(user, *STAFF_ROLES)


def can_view_call(user, call: Call) -> bool:
    """Anyone sees calls that are not drafts; drafts are for the secretariat and admins."""
    return call.status != CallStatus.draft or sees_drafts(user)


def visible_calls(user) -> Select:
    """The query twin of can_view_call."""
    stmt = select(Call)
    if not sees_drafts(user):
        stmt = stmt.where(Call.status != CallStatus.draft)
    return stmt


def can_manage_calls(user) -> bool:
    """Only the secretariat creates, edits and moves calls (API.md)."""
    return has_role(user, "secretariat")


def can_edit_call(user, call: Call) -> bool:
    return can_manage_calls(user) and call.status not in (CallStatus.archived,)


def can_change_call_status(user, call: Call, status) -> bool:
    """The button test: the same refusal the service gives."""
    from .services import transition_refusal

    return can_manage_calls(user) and transition_refusal(call, status) is None
