"""Report reminders: before the due date and once overdue, to the grantee organisation's
members, each once however often `unscar remind` runs; the secretariat's overdue list."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from tests.grants.reporting import approved_grant, lines
from unscar.dates import freeze_clock
from unscar.extensions import db
from unscar.grants import reports
from unscar.grants.models import GrantStatus
from unscar.grants.report_queries import overdue
from unscar.outbox.models import OutboxMessage


@pytest.fixture
def clock():
    yield lambda *ymd: freeze_clock(datetime(*ymd, 12, tzinfo=timezone.utc))
    freeze_clock(None)


def _mails(kind):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)).all()


def test_reminders_before_and_after_the_due_date_go_out_once(app, runner, clock):
    grant, grantee, _staff = approved_grant()
    clock(2027, 9, 20)  # the interim reports fall due on 1 October 2027, within 14 days
    outputs = [runner.invoke(args=["unscar", "remind"]).output for _ in range(2)]
    assert "Grant reports reminded (due soon or overdue): 2" in outputs[0]
    assert "Grant reports reminded (due soon or overdue): 0" in outputs[1]
    due = _mails("report_due")
    assert len(due) == 2 and {m.to_address for m in due} == {grantee.email}  # financial and narrative
    assert "due on 01 October 2027" in due[0].subject
    clock(2027, 10, 2)
    reports.file_narrative_report(grantee, grant, grant.start_date, grant.reports[0].period_end, "Done.", [])
    db.session.commit()
    for _ in range(2):
        runner.invoke(args=["unscar", "remind"])
    overdue_mails = _mails("report_overdue")
    assert len(overdue_mails) == 1 and "financial" in overdue_mails[0].subject  # the narrative one was filed


def test_a_report_filed_in_time_is_not_reminded(app, runner, clock):
    grant, grantee, _staff = approved_grant()
    reports.file_financial_report(grantee, grant, grant.start_date, grant.reports[0].period_end, lines(staff="1"))
    reports.file_narrative_report(grantee, grant, grant.start_date, grant.reports[0].period_end, "Done.", [])
    db.session.commit()
    clock(2027, 9, 20)
    runner.invoke(args=["unscar", "remind"])
    assert _mails("report_due") == []


def test_a_closed_grant_is_not_reminded(app, runner, clock):
    grant, _grantee, _staff = approved_grant()
    grant.status = GrantStatus.closed
    db.session.commit()
    clock(2027, 10, 2)
    runner.invoke(args=["unscar", "remind"])
    assert _mails("report_overdue") == [] and _mails("report_due") == []


def test_the_overdue_list_holds_due_reports_past_their_date(app, clock):
    grant, grantee, _staff = approved_grant()
    clock(2027, 10, 1)
    assert db.session.scalars(overdue(datetime(2027, 10, 1).date())).all() == []
    reports.file_financial_report(grantee, grant, grant.start_date, grant.reports[0].period_end, lines(staff="1"))
    db.session.commit()
    listed = db.session.scalars(overdue(datetime(2027, 10, 2).date())).all()
    assert [(r.kind.value, r.stage.value) for r in listed] == [("narrative", "interim")]
