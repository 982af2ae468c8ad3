"""A new grant's schedule: its default tranches and the reports it owes, with due dates.

Defaults (config): FIRST_TRANCHE_SHARE of the approved amount is due on approval, since
approval records the signed agreement, and the rest once the interim reports are accepted;
each tranche is rounded half-up to cents and the last takes the remainder. The interim
financial and narrative reports cover the start to INTERIM_REPORT_AT of the duration and
fall due then; the final ones cover the rest and fall due FINAL_REPORT_DAYS after its end. A no-cost extension moves the final ones (shift_final_reports).
"""
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app

from ..money import round_cents
from .models import Grant, Report, ReportKind, ReportStage, ReportStatus, Tranche, TrancheCondition


def split_amount(total: Decimal, shares: list[Decimal]) -> list[Decimal]:
    """`total` split by `shares`, each part rounded half-up to cents, the last the remainder."""
    parts = [round_cents(total * share) for share in shares[:-1]]
    return parts + [total - sum(parts, Decimal("0"))]


def default_tranches(approved_usd: Decimal) -> list[Tranche]:
    first = Decimal(str(current_app.config["FIRST_TRANCHE_SHARE"]))
    if first >= 1:
        return [Tranche(position=0, amount_usd=approved_usd, condition=TrancheCondition.on_approval)]
    amounts = split_amount(approved_usd, [first, 1 - first])
    return [Tranche(position=0, amount_usd=amounts[0], condition=TrancheCondition.on_approval),
            Tranche(position=1, amount_usd=amounts[1], condition=TrancheCondition.on_interim_acceptance)]


def interim_date(start: date, end: date) -> date:
    share = Decimal(str(current_app.config["INTERIM_REPORT_AT"]))
    return start + timedelta(days=int(((end - start).days * share).to_integral_value()))


def final_due_date(end: date) -> date:
    return end + timedelta(days=current_app.config["FINAL_REPORT_DAYS"])


def scheduled_reports(start: date | None, end: date | None) -> list[Report]:
    """The interim and final financial and narrative reports a grant running start..end owes."""
    if start is None or end is None or end <= start:
        return []
    middle = interim_date(start, end)
    # The final reports cover what the interim ones do not, so no spending is reported twice.
    return [Report(kind=kind, stage=stage, period_start=period_start, period_end=period_end, due_date=due,
                   status=ReportStatus.due)
            for stage, period_start, period_end, due in (
                (ReportStage.interim, start, middle, middle),
                (ReportStage.final, middle + timedelta(days=1), end, final_due_date(end)))
            for kind in (ReportKind.financial, ReportKind.narrative)]


def shift_final_reports(grant: Grant, new_end: date) -> None:
    """A no-cost extension: the final reports not yet filed cover up to the new end and fall
    due FINAL_REPORT_DAYS after it."""
    for report in grant.reports:
        if report.stage is ReportStage.final and report.status is ReportStatus.due:
            report.period_end = new_end
            report.due_date = final_due_date(new_end)
