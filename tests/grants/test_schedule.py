"""A new grant's schedule: the reports it owes cover its whole life once, the interim ones
due at mid-term and the final ones FINAL_REPORT_DAYS after the end."""
from datetime import date, timedelta

from unscar.grants.models import ReportKind, ReportStage
from unscar.grants.schedule import scheduled_reports


def test_interim_and_final_reports_adjoin_and_fall_due_on_the_schedule(app):
    start, end = date(2027, 1, 1), date(2027, 12, 31)
    reports = scheduled_reports(start, end)
    assert sorted((r.stage, r.kind) for r in reports) == sorted(
        (stage, kind) for stage in (ReportStage.interim, ReportStage.final) for kind in ReportKind)
    interim = next(r for r in reports if r.stage is ReportStage.interim)
    final = next(r for r in reports if r.stage is ReportStage.final)
    assert (interim.period_start, interim.period_end, interim.due_date) == (start, date(2027, 7, 2), date(2027, 7, 2))
    # No day is reported twice, none is left out.
    assert final.period_start == interim.period_end + timedelta(days=1) and final.period_end == end
    assert final.due_date == end + timedelta(days=app.config["FINAL_REPORT_DAYS"])


def test_a_grant_without_dates_owes_no_scheduled_report(app):
    assert scheduled_reports(None, date(2027, 1, 1)) == [] and scheduled_reports(date(2027, 1, 1), None) == []
