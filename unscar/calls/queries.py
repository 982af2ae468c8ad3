"""Loading calls: the listing order, eager loading, and the visible-or-404 loader."""
from flask_babel import gettext as _
from sqlalchemy import case
from sqlalchemy.orm import selectinload

from ..errors import NotFound
from ..extensions import db
from .models import Call, CallStatus, CallTemplate
from .permissions import can_view_call, visible_calls

LISTING_ORDER = ("Open calls first, soonest deadline first; then the other calls, latest deadline first; "
                 "then by id.")


def in_listing_order(stmt):
    """See LISTING_ORDER; stable, so pages never repeat or skip a call."""
    is_open = Call.status == CallStatus.open
    return stmt.order_by(case((is_open, 0), else_=1), case((is_open, Call.closes_at), else_=None).asc(),
                         Call.closes_at.desc(), Call.id)


def with_details(stmt):
    return stmt.options(selectinload(Call.criteria), selectinload(Call.templates), selectinload(Call.translations))


def listed_calls(user, status: str | None = None, only_open_by_default: bool = False):
    """The calls `user` may see, filtered by status; anonymous callers default to open calls."""
    stmt = visible_calls(user)
    if status:
        stmt = stmt.where(Call.status == CallStatus(status))
    elif only_open_by_default:
        stmt = stmt.where(Call.status == CallStatus.open)
    return in_listing_order(stmt)


def get_call_or_404(user, call_id: int) -> Call:
    """The call with its criteria and templates, or NotFound when absent or not visible."""
    call = db.session.scalar(with_details(visible_calls(user).where(Call.id == call_id)))
    if call is None or not can_view_call(user, call):
        raise NotFound(_("No such call for proposals."))
    return call


def get_template_or_404(user, call_id: int, template_id: int) -> CallTemplate:
    call = get_call_or_404(user, call_id)
    template = next((t for t in call.templates if t.id == template_id), None)
    if template is None:
        raise NotFound(_("No such template."))
    return template
