"""The audit log, for the secretariat and administrators."""
from flask import Blueprint, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..inputs import int_arg
from ..permissions import role_required
from .models import AuditEvent

bp = Blueprint("audit", __name__, url_prefix="/audit")
PER_PAGE = 50


@bp.get("/")
@role_required("secretariat", "admin")
def index():
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
    page = db.paginate(stmt, per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
    return render_template("audit/index.html", page=page, object_type=object_type, action=action)
