"""A grant's financial and narrative reports: filed by the grantee, accepted or returned by
the secretariat, corrected and filed again (DESIGN.md "Financial report", "Narrative report").

A filing fills the earliest scheduled report of its kind still due whose period ends no
later than the filed one (taking the filed period); otherwise it is a report of stage
`other`, without due date. A filed financial report counts at once: its total is written
to the fund's ledger as expenditure; a returned one is reversed there (and stops counting
in budget vs actual, budget.COUNTING), until its correction is filed and counts again.
Every writer checks the actor, audits, flushes and leaves the commit to its caller.
"""
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import record_event
from ..dates import utcnow
from ..errors import InvalidTransition, NotFound, PermissionDenied
from ..extensions import db
from ..funds import services as funds
from ..links import external_url
from ..locking import lock_one
from ..vocabulary import N_
from .budget import ZERO, budget_vs_actual, current_budget
from .labels import status_label
from .models import (Grant, GrantStatus, IndicatorProgress, Report, ReportKind, ReportLine, ReportStage,
                     ReportStatus)
from .notices import mail_grantee
from .queries import lock_grant
from .report_checks import Errors, check_expenditure, check_indicators, check_period, check_text, \
    framework_indicators
from .report_permissions import can_review_reports, is_grantee

DECISIONS = ("accepted", "returned")
# The grantee's e-mail on a review, by (kind, decision); made in each recipient's language.
REVIEW_SUBJECTS = {
    ("financial", "accepted"): N_("%(agreement)s: your financial report was accepted"),
    ("financial", "returned"): N_("%(agreement)s: your financial report was returned"),
    ("narrative", "accepted"): N_("%(agreement)s: your narrative report was accepted"),
    ("narrative", "returned"): N_("%(agreement)s: your narrative report was returned"),
}


def require_grantee(actor, grant: Grant) -> None:
    """Another organisation does not learn that the grant exists: NotFound."""
    if not is_grantee(actor, grant):
        raise NotFound(_("No such grant."))


def require_open(grant: Grant) -> None:
    if grant.status is GrantStatus.closed:
        raise InvalidTransition(_("The grant is closed: its reports and budget can no longer change."))


def total_of(report: Report) -> Decimal:
    return sum((line.amount_usd for line in report.lines), ZERO)


def _slot(grant: Grant, kind: ReportKind, period_end: date) -> Report:
    """The scheduled report a filing fills, or a new one of stage `other`."""
    due = [r for r in grant.reports if r.kind is kind and r.status is ReportStatus.due
           and r.due_date is not None and r.period_end <= period_end]
    if due:
        return min(due, key=lambda r: (r.due_date, r.id))
    report = Report(kind=kind, stage=ReportStage.other, status=ReportStatus.due, period_start=period_end,
                    period_end=period_end)
    grant.reports.append(report)
    return report


def _submitted(actor, report: Report, start: date, end: date, action: str) -> None:
    before = report.status.value
    report.period_start, report.period_end = start, end
    report.status = ReportStatus.submitted
    report.submitted_at, report.submitted_by_id = utcnow(), actor.id
    db.session.flush()
    after = {"kind": report.kind.value, "stage": report.stage.value, "status": "submitted",
             "period_start": start, "period_end": end}
    if report.kind is ReportKind.financial:
        after["total_usd"] = total_of(report)
        after["lines"] = {line.category.value: line.amount_usd for line in report.lines}
    else:
        after["indicators"] = len(report.indicators)
    record_event(actor, action, report, before={"status": before}, after=after)
    if report.kind is ReportKind.financial and total_of(report) > 0:
        funds.record_expenditure(actor, report.grant_id, total_of(report), utcnow().date())


def _financial_values(grant: Grant, start, end, lines) -> dict:
    errors = Errors()
    check_period(grant, start, end, errors)
    spent = check_expenditure(current_budget(grant), lines, errors)
    errors.raise_any()
    return spent


def _narrative_values(grant: Grant, start, end, text, indicators) -> tuple[str, list]:
    errors = Errors()
    check_period(grant, start, end, errors)
    text = check_text(text, "text", errors)
    progress = check_indicators(framework_indicators(grant.proposal.results), indicators, errors)
    errors.raise_any()
    return text, progress


def file_financial_report(actor, grant: Grant, period_start, period_end, lines) -> Report:
    """The grantee's expenditure per category of the grant's current budget for a period
    inside the grant; it counts at once in budget vs actual and the ledger's spent."""
    require_grantee(actor, grant)
    require_open(grant)
    spent = _financial_values(grant, period_start, period_end, lines)
    lock_grant(grant)  # two filings at once never fill the same scheduled report
    report = _slot(grant, ReportKind.financial, period_end)
    report.lines = [ReportLine(category=category, amount_usd=amount) for category, amount in spent.items()]
    _submitted(actor, report, period_start, period_end, "report.submitted")
    return report


def file_narrative_report(actor, grant: Grant, period_start, period_end, text, indicators) -> Report:
    """The grantee's progress: text, and a value per indicator of the results framework
    (matched by its text; not every indicator need be listed)."""
    require_grantee(actor, grant)
    require_open(grant)
    text, progress = _narrative_values(grant, period_start, period_end, text, indicators)
    lock_grant(grant)  # two filings at once never fill the same scheduled report
    report = _slot(grant, ReportKind.narrative, period_end)
    report.text = text
    report.indicators = [IndicatorProgress(indicator=name, value=value) for name, value in progress]
    _submitted(actor, report, period_start, period_end, "report.submitted")
    return report


def correct_report(actor, report: Report, period_start, period_end, lines=None, text=None,
                   indicators=None) -> Report:
    """A returned report's corrected body (lines for a financial one, text and indicators
    for a narrative one), submitted again; a financial one counts again."""
    grant = report.grant
    require_grantee(actor, grant)
    require_open(grant)
    lock_grant(report.grant)  # fund, then grant: the one lock order
    locked = lock_one(select(Report).where(Report.id == report.id))
    if locked.status is not ReportStatus.returned:
        raise InvalidTransition(_("Only a returned report is corrected; this one is %(status)s.",
                                  status=status_label(locked.status.value, "report")))
    if report.kind is ReportKind.financial:
        spent = _financial_values(grant, period_start, period_end, lines)
        _replace(report.lines, [ReportLine(category=category, amount_usd=amount) for category, amount in spent.items()])
    else:
        report.text, progress = _narrative_values(grant, period_start, period_end, text, indicators)
        _replace(report.indicators, [IndicatorProgress(indicator=name, value=value) for name, value in progress])
    _submitted(actor, report, period_start, period_end, "report.corrected")
    return report


def _replace(rows: list, new: list) -> None:
    # The old rows are deleted first: the unit of work would insert before deleting,
    # against the one-line-per-category constraint.
    rows.clear()
    db.session.flush()
    rows.extend(new)


def review_report(actor, report: Report, decision: str, comment: str | None) -> Report:
    """The secretariat accepts or returns a submitted report with a comment the grantee
    reads (required when returning). A returned financial report stops counting: its total
    is reversed in the ledger. Accepting the interim reports makes the next tranche due
    (tranches follow from the reports' statuses). The grantee is e-mailed."""
    if not can_review_reports(actor):
        raise PermissionDenied(_("Only the secretariat reviews reports."))
    errors = Errors()
    if decision not in DECISIONS:
        errors.add("decision", _("Choose accepted or returned."))
    comment = check_text(comment, "comment", errors, required=decision == "returned")
    errors.raise_any()
    lock_grant(report.grant)  # fund, then grant: the one lock order
    locked = lock_one(select(Report).where(Report.id == report.id))
    if locked.status is not ReportStatus.submitted:
        raise InvalidTransition(_("Only a submitted report is reviewed; this one is %(status)s.",
                                  status=status_label(locked.status.value, "report")))
    report.status = ReportStatus(decision)
    report.comment = comment or None
    report.reviewed_at, report.reviewed_by_id = utcnow(), actor.id
    db.session.flush()
    total = total_of(report) if report.kind is ReportKind.financial else ZERO
    record_event(actor, f"report.{decision}", report, before={"status": "submitted"},
                 after={"status": decision, "comment": report.comment,
                        **({"total_usd": total} if report.kind is ReportKind.financial else {})})
    if decision == "returned" and total > 0:
        funds.reverse_expenditure(actor, report.grant_id, total, utcnow().date())
    subject = REVIEW_SUBJECTS[report.kind.value, decision]
    mail_grantee(report.grant, lambda: _(subject, agreement=report.grant.agreement_number), "report_reviewed",
                 kind="report_reviewed", report=report, decision=decision,
                 link=external_url("grants.report", report_id=report.id))
    return report


def variances(grant: Grant) -> list[dict]:
    """The categories whose cumulative spending exceeds their current budget by more than
    the reallocation threshold; a variance never blocks filing or acceptance."""
    return [{"category": row.category.value, "budget_usd": row.budget_usd, "spent_usd": row.spent_usd,
             "variance_usd": row.variance_usd, "variance_pct": row.variance_pct}
            for row in budget_vs_actual(grant) if row.flagged and row.category is not None]


def report_values(report: Report) -> dict:
    """What the services take for a report, from the report itself (a form's defaults)."""
    return {"period_start": report.period_start, "period_end": report.period_end, "text": report.text,
            "lines": [{"category": line.category.value, "amount_usd": line.amount_usd} for line in report.lines],
            "indicators": [{"indicator": row.indicator, "value": row.value} for row in report.indicators]}

