"""Pages that look across every part, for the secretariat and administrators: the audit log
(every change, who made it and when) and the outbox (what was sent, what waits, what failed).
They keep the addresses /audit/ and /outbox/."""
from flask import Blueprint, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..audit.models import AuditEvent
from ..extensions import db
from ..inputs import int_arg
from ..outbox.models import MessageStatus, OutboxMessage
from ..permissions import role_required
from ..roles import STAFF_ROLES
from .changes import changed_fields

bp = Blueprint("admin", __name__)
bp.add_app_template_global(changed_fields)
PER_PAGE = 50


def _paginate(stmt):
    """A page of `stmt`, or a redirect to the last page when the one asked for is past it
    ("page 9999 of 6" is never shown: the reader lands on page 6)."""
    page = db.paginate(stmt, per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
    last = max(page.pages, 1)
    if page.page > last:
        return None, redirect(url_for(request.endpoint, **{**request.args.to_dict(), "page": last}))
    return page, None


@bp.get("/audit/")
@role_required(*STAFF_ROLES)
def audit():
    stmt = select(AuditEvent).options(joinedload(AuditEvent.actor)).order_by(AuditEvent.id.desc())
    object_type = request.args.get("object_type", "").strip()
    action = request.args.get("action", "").strip()
    if object_type:
        stmt = stmt.where(AuditEvent.object_type == object_type)
    object_id = int_arg("object_id")
    if object_id is not None:
        stmt = stmt.where(AuditEvent.object_id == object_id)
    if action:
        stmt = stmt.where(AuditEvent.action.startswith(action, autoescape=True))
    page, elsewhere = _paginate(stmt)
    if elsewhere:
        return elsewhere
    return render_template("admin/audit.html", page=page, object_type=object_type, action=action)


@bp.get("/outbox/")
@role_required(*STAFF_ROLES)
def outbox():
    # Newest first by the time queued (the id breaks ties: rows queued in one transaction).
    stmt = select(OutboxMessage).order_by(OutboxMessage.created_at.desc(), OutboxMessage.id.desc())
    status = request.args.get("status", "")
    if status in MessageStatus.__members__:
        stmt = stmt.where(OutboxMessage.status == MessageStatus(status))
    page, elsewhere = _paginate(stmt)
    if elsewhere:
        return elsewhere
    return render_template("admin/outbox.html", page=page, status=status)
