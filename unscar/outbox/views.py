"""The outbox as the secretariat sees it: what was sent, what waits, what failed."""
from flask import Blueprint, render_template, request
from sqlalchemy import select

from ..extensions import db
from ..permissions import role_required
from .models import MessageStatus, OutboxMessage

bp = Blueprint("outbox", __name__, url_prefix="/outbox")


@bp.get("/")
@role_required("secretariat", "admin")
def index():
    stmt = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    status = request.args.get("status", "")
    if status in MessageStatus.__members__:
        stmt = stmt.where(OutboxMessage.status == MessageStatus(status))
    page = db.paginate(stmt, per_page=50, max_per_page=50, error_out=False)
    return render_template("outbox/index.html", page=page, status=status)
