"""A grant's history for its page: the audit events written on the grant, its reports and its
revisions, newest first, with readable labels. Names of the people acting are shown to staff; others read "UNSCAR
secretariat" or "Grantee", as on a proposal's history."""
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from ..audit.models import AuditEvent
from ..extensions import db
from ..roles import STAFF_ROLES
from .models import Grant, Report, Revision

LABELS = {
    "grant.created": "Grant created on approval",
    "grant.tranches_set": "Tranche schedule changed",
    "grant.disbursed": "Disbursement recorded",
    "grant.suspended": "Grant suspended",
    "grant.resumed": "Grant resumed",
    "grant.closed": "Grant closed",
    "grant.status_changed": "Status changed",
    "grant.extended": "End date extended",
    "report.submitted": "Report filed",
    "report.corrected": "Report corrected and filed again",
    "report.accepted": "Report accepted",
    "report.returned": "Report returned",
    "revision.requested": "Revision requested",
    "revision.approved": "Revision approved",
    "revision.rejected": "Revision rejected",
}
HISTORY_MAX = 200


def grant_history(user, grant: Grant) -> list[dict]:
    staff = bool(user.is_authenticated) and user.has_role(*STAFF_ROLES)
    owned = [(Grant.__tablename__, [grant.id]), (Report.__tablename__, [r.id for r in grant.reports]),
             (Revision.__tablename__, [r.id for r in grant.revisions])]
    about_grant = or_(*(and_(AuditEvent.object_type == table, AuditEvent.object_id.in_(ids))
                        for table, ids in owned if ids))
    events = db.session.scalars(select(AuditEvent).options(joinedload(AuditEvent.actor)).where(about_grant)
                                .order_by(AuditEvent.id.desc()).limit(HISTORY_MAX)).all()
    rows = []
    for event in events:
        actor = event.actor
        grantee_side = actor is not None and actor.organisation_id == grant.organisation_id
        by = actor.name if staff and actor else ("Grantee" if grantee_side else "UNSCAR secretariat")
        rows.append({"at": event.at, "label": LABELS.get(event.action, event.action), "by": by,
                     "details": _details(event)})
    return rows


def _details(event: AuditEvent) -> str:
    after = event.after or {}
    if event.action == "grant.disbursed":
        reason = f" beyond what was due: {after['override_reason']}" if after.get("override_reason") else ""
        return f"USD {after.get('amount_usd')} paid on {after.get('on')}{reason}"
    if event.action == "grant.tranches_set":
        return "; ".join(f"USD {t['amount_usd']} {t['condition'].replace('_', ' ')}"
                         + (f" {t['date']}" if t.get("date") else "") for t in after.get("tranches", []))
    if event.action.startswith("report."):
        kind = f"{after.get('stage', '')} {after.get('kind', '')} report".strip().capitalize()
        total = f", USD {after['total_usd']}" if after.get("total_usd") is not None and "kind" in after else ""
        comment = f": {after['comment']}" if after.get("comment") else ""
        return f"{kind}{total}{comment}" if "kind" in after else comment.lstrip(": ")
    if event.action == "grant.extended":
        return f"{(event.before or {}).get('end_date')} → {after.get('end_date')}"
    before = (event.before or {}).get("status")
    status = after.get("status")
    if status:
        return f"{before} → {status}" + (f": {after['reason']}" if after.get("reason") else "")
    return ""
