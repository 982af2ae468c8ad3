"""A grant's history for its page: the audit events written on the grant, its reports and its
revisions, newest first, with readable labels. Names of the people acting are shown to staff; others read "UNSCAR
secretariat" or "Grantee", as on a proposal's history."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import joinedload

from ..audit.models import AuditEvent
from ..extensions import db
from ..money import group_money
from ..roles import STAFF_ROLES
from ..templating import format_date_words
from ..vocabulary import N_, Labels
from .labels import REPORT_TITLES, status_label
from .models import Grant, Report, Revision

LABELS = Labels({
    "grant.created": N_("Grant created on approval"),
    "grant.tranches_set": N_("Tranche schedule changed"),
    "grant.disbursed": N_("Disbursement recorded"),
    "grant.suspended": N_("Grant suspended"),
    "grant.resumed": N_("Grant resumed"),
    "grant.closed": N_("Grant closed"),
    "grant.status_changed": N_("Status changed"),
    "grant.extended": N_("End date extended"),
    "report.submitted": N_("Report filed"),
    "report.corrected": N_("Report corrected and filed again"),
    "report.accepted": N_("Report accepted"),
    "report.returned": N_("Report returned"),
    "report.report_due_reminded": N_("Reminder sent: report due soon"),
    "report.report_overdue_reminded": N_("Reminder sent: report overdue"),
    "revision.requested": N_("Revision requested"),
    "revision.approved": N_("Revision approved"),
    "revision.rejected": N_("Revision rejected"),
})
# A tranche as a schedule change describes it, by its condition.
TRANCHES = {
    "on_approval": N_("USD %(amount)s on approval"),
    "on_interim_acceptance": N_("USD %(amount)s on interim acceptance"),
    "on_date": N_("USD %(amount)s on date %(date)s"),
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
        by = actor.name if staff and actor else (_("Grantee") if grantee_side else _("UNSCAR secretariat"))
        rows.append({"at": event.at, "label": LABELS.get(event.action, event.action), "by": by,
                     "details": _details(event)})
    return rows


def _details(event: AuditEvent) -> str:
    after = event.after or {}
    if event.action == "grant.disbursed":
        if after.get("override_reason"):
            return _("USD %(amount)s paid on %(date)s beyond what was due: %(reason)s", amount=_amount(after.get("amount_usd")),
                     date=after.get("on"), reason=after["override_reason"])
        return _("USD %(amount)s paid on %(date)s", amount=_amount(after.get("amount_usd")), date=after.get("on"))
    if event.action == "grant.tranches_set":
        return "; ".join(_tranche(t) for t in after.get("tranches", []))
    if event.action.startswith("report."):
        return _report_details(after)
    if event.action == "grant.extended":
        before, end = _day((event.before or {}).get("end_date")), _day(after.get("end_date"))
        if after.get("revision_id"):
            return _("%(before)s → %(after)s (revision %(revision)s)", before=before, after=end,
                     revision=after["revision_id"])
        return f"{before} → {end}"
    before = (event.before or {}).get("status")
    status = after.get("status")
    if status:
        of = {"grant_reports": "report", "grant_revisions": "revision", "tranches": "tranche"}.get(event.object_type, "grant")
        before, status = status_label(before, of) if before else before, status_label(status, of)
        if "refund_usd" in after:  # a closure
            return _("%(before)s → %(after)s: USD %(refund)s refunded, USD %(released)s undisbursed released",
                     before=before, after=status, refund=_amount(after["refund_usd"]),
                     released=_amount(after["released_usd"]))
        if after.get("reason"):
            return _("%(before)s → %(after)s: %(reason)s", before=before, after=status, reason=after["reason"])
        return f"{before} → {status}"
    return ""


def _tranche(tranche: dict) -> str:
    condition = tranche["condition"]
    if condition not in TRANCHES:
        return f"USD {tranche['amount_usd']} {condition.replace('_', ' ')}"
    return _(TRANCHES[condition], amount=_amount(tranche["amount_usd"]), date=tranche.get("date"))


def _day(value) -> str | None:
    """A date recorded in an event ("2027-06-30") as the reader writes it."""
    try:
        return format_date_words(date.fromisoformat(value))
    except (TypeError, ValueError):
        return value


def _amount(value) -> str | None:
    """An amount recorded in an event ("42000.01") as the reader writes money."""
    try:
        return group_money(value) if value not in (None, "") else None
    except (ArithmeticError, ValueError, TypeError):
        return value


def _report_details(after: dict) -> str:
    """The report's name and total, and the comment (a review's event holds only the comment)."""
    comment = after.get("comment")
    if "kind" not in after:
        return comment or ""
    name = REPORT_TITLES.get((after.get("stage"), after["kind"])) or f"{after['kind']} report".capitalize()
    total = _amount(after.get("total_usd"))
    if total is not None and comment:
        return _("%(report)s, USD %(amount)s: %(comment)s", report=name, amount=total, comment=comment)
    if total is not None:
        return _("%(report)s, USD %(amount)s", report=name, amount=total)
    if comment:
        return _("%(report)s: %(comment)s", report=name, comment=comment)
    return name
