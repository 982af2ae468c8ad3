"""Financial and narrative reports through the services: who may file, the values they
take, which scheduled report a filing fills, the ledger's spent following filing, return
and correction, the secretariat's review and the grantee's e-mail."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import make_user
from tests.grants.reporting import approved_grant, lines
from unscar.audit.models import AuditEvent
from unscar.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from unscar.extensions import db
from unscar.funds.services import grant_figures
from unscar.grants import reports
from unscar.grants.budget import budget_vs_actual
from unscar.grants.models import GrantStatus, ReportStage, ReportStatus
from unscar.outbox.models import OutboxMessage

START, MIDDLE = date(2027, 1, 1), date(2027, 10, 1)


@pytest.fixture
def grant_and_people(app):
    return approved_grant()


def _spent(grant) -> Decimal:
    return grant_figures(grant.id)["spent_usd"]


def _errors(excinfo) -> dict:
    return excinfo.value.errors


def test_a_financial_report_fills_the_interim_slot_and_counts_at_once(grant_and_people):
    grant, grantee, _staff = grant_and_people
    report = reports.file_financial_report(grantee, grant, START, MIDDLE, lines(staff="1000.00", travel="250.50"))
    db.session.commit()
    assert report.stage is ReportStage.interim and report.status is ReportStatus.submitted
    assert report.due_date == MIDDLE  # the scheduled report it filled keeps its due date
    assert _spent(grant) == Decimal("1250.50")
    staff_row = next(row for row in budget_vs_actual(grant) if row.category and row.category.value == "staff")
    assert staff_row.spent_usd == Decimal("1000.00")
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.action == "report.submitted")).one()


def test_a_filing_that_ends_before_any_scheduled_report_is_an_other_report(grant_and_people):
    grant, grantee, _staff = grant_and_people
    report = reports.file_financial_report(grantee, grant, START, date(2027, 3, 31), lines(staff="10"))
    assert report.stage is ReportStage.other and report.due_date is None
    interim = next(r for r in grant.reports if r.stage is ReportStage.interim and r.kind.value == "financial")
    assert interim.status is ReportStatus.due


def test_a_later_filing_fills_the_earliest_due_slot_first(grant_and_people):
    grant, grantee, _staff = grant_and_people
    first = reports.file_financial_report(grantee, grant, START, grant.end_date, lines(staff="10"))
    second = reports.file_financial_report(grantee, grant, START, grant.end_date, lines(staff="10"))
    assert (first.stage, second.stage) == (ReportStage.interim, ReportStage.final)
    assert first.period_end == grant.end_date  # the filed period replaces the scheduled one


def test_a_future_period_inside_the_grant_is_allowed(grant_and_people):
    grant, grantee, _staff = grant_and_people
    assert reports.file_financial_report(grantee, grant, grant.end_date, grant.end_date, lines(staff="0"))


@pytest.mark.parametrize("start, end, field", [
    (date(2026, 12, 31), MIDDLE, "period_start"),
    (START, date(2030, 1, 1), "period_end"),
    (MIDDLE, START, "period_end"),
])
def test_a_period_outside_the_grant_or_reversed_is_refused(grant_and_people, start, end, field):
    grant, grantee, _staff = grant_and_people
    with pytest.raises(ValidationFailed) as refused:
        reports.file_financial_report(grantee, grant, start, end, lines(staff="1"))
    assert field in _errors(refused)


@pytest.mark.parametrize("body, field", [
    (lines(staff="-1"), "lines.0.amount_usd"),
    (lines(staff="1.001"), "lines.0.amount_usd"),
    (lines(staff="1e400"), "lines.0.amount_usd"),
    (lines(equipment="5"), "lines.0.category"),
    (lines(nonsense="5"), "lines.0.category"),
    ([{"category": "staff", "amount_usd": "1"}, {"category": "staff", "amount_usd": "2"}], "lines.1.category"),
    ([], "lines"),
])
def test_bad_expenditure_is_refused_naming_the_line(grant_and_people, body, field):
    grant, grantee, _staff = grant_and_people
    with pytest.raises(ValidationFailed) as refused:
        reports.file_financial_report(grantee, grant, START, MIDDLE, body)
    assert field in _errors(refused)
    assert _spent(grant) == 0


def test_another_organisation_or_the_secretariat_cannot_file(grant_and_people):
    grant, _grantee, staff = grant_and_people
    for outsider in (make_user("applicant"), staff):
        with pytest.raises(NotFound):
            reports.file_financial_report(outsider, grant, START, MIDDLE, lines(staff="1"))


def test_a_closed_grant_takes_no_report(grant_and_people):
    grant, grantee, _staff = grant_and_people
    grant.status = GrantStatus.closed
    with pytest.raises(InvalidTransition):
        reports.file_narrative_report(grantee, grant, START, MIDDLE, "Done.", [])


def test_a_narrative_report_matches_indicators_by_their_text(grant_and_people):
    grant, grantee, _staff = grant_and_people
    report = reports.file_narrative_report(grantee, grant, START, MIDDLE, "Training began.",
                                           [{"indicator": "  officers   CERTIFIED ", "value": "12"}])
    assert [(row.indicator, row.value) for row in report.indicators] == [("Officers certified", "12")]
    assert report.stage is ReportStage.interim


def test_a_narrative_report_need_not_list_every_indicator(grant_and_people):
    grant, grantee, _staff = grant_and_people
    assert reports.file_narrative_report(grantee, grant, START, MIDDLE, "Slow start.", []).indicators == []


def test_an_unknown_indicator_is_named(grant_and_people):
    grant, grantee, _staff = grant_and_people
    with pytest.raises(ValidationFailed) as refused:
        reports.file_narrative_report(grantee, grant, START, MIDDLE, "Text.", [
            {"indicator": "Officers certified", "value": "1"}, {"indicator": "Guns melted", "value": "9"}])
    assert list(_errors(refused)) == ["indicators.1.indicator"]


def test_a_narrative_report_needs_its_text(grant_and_people):
    grant, grantee, _staff = grant_and_people
    with pytest.raises(ValidationFailed) as refused:
        reports.file_narrative_report(grantee, grant, START, MIDDLE, "   ", [])
    assert "text" in _errors(refused)


def _filed(grant, grantee, amount="1000.00"):
    report = reports.file_financial_report(grantee, grant, START, MIDDLE, lines(staff=amount))
    db.session.commit()
    return report


def test_returning_a_report_stops_it_counting_and_tells_the_grantee(grant_and_people):
    grant, grantee, staff = grant_and_people
    report = _filed(grant, grantee)
    reports.review_report(staff, report, "returned", "The travel receipts are missing.")
    db.session.commit()
    assert report.status is ReportStatus.returned and _spent(grant) == 0
    assert all(row.spent_usd == 0 for row in budget_vs_actual(grant))
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == grantee.email,
                                                          OutboxMessage.kind == "report_reviewed")).one()
    assert "returned" in mail.subject and "The travel receipts are missing." in mail.body


def test_a_corrected_report_is_submitted_again_and_counts_again(grant_and_people):
    grant, grantee, staff = grant_and_people
    report = _filed(grant, grantee)
    reports.review_report(staff, report, "returned", "Wrong amount.")
    reports.correct_report(grantee, report, START, MIDDLE, lines=lines(staff="900.00"))
    db.session.commit()
    assert report.status is ReportStatus.submitted and _spent(grant) == Decimal("900.00")
    reports.review_report(staff, report, "accepted", "")
    db.session.commit()
    assert report.status is ReportStatus.accepted and _spent(grant) == Decimal("900.00")


def test_only_a_returned_report_is_corrected(grant_and_people):
    grant, grantee, _staff = grant_and_people
    report = _filed(grant, grantee)
    with pytest.raises(InvalidTransition):
        reports.correct_report(grantee, report, START, MIDDLE, lines=lines(staff="1"))


def test_only_a_submitted_report_is_reviewed(grant_and_people):
    grant, grantee, staff = grant_and_people
    report = _filed(grant, grantee)
    reports.review_report(staff, report, "accepted", None)
    with pytest.raises(InvalidTransition):
        reports.review_report(staff, report, "returned", "Too late.")
    due = next(r for r in grant.reports if r.status is ReportStatus.due)
    with pytest.raises(InvalidTransition):
        reports.review_report(staff, due, "accepted", None)


def test_only_the_secretariat_reviews_and_a_return_needs_a_comment(grant_and_people):
    grant, grantee, staff = grant_and_people
    report = _filed(grant, grantee)
    for other in (grantee, make_user("donor"), make_user("admin")):
        with pytest.raises(PermissionDenied):
            reports.review_report(other, report, "accepted", None)
    with pytest.raises(ValidationFailed) as refused:
        reports.review_report(staff, report, "returned", " ")
    assert "comment" in _errors(refused)


def test_accepting_tells_the_grantee(grant_and_people):
    grant, grantee, staff = grant_and_people
    reports.review_report(staff, _filed(grant, grantee), "accepted", "Thank you.")
    db.session.commit()
    subjects = db.session.scalars(select(OutboxMessage.subject).where(OutboxMessage.kind == "report_reviewed")).all()
    assert subjects and "accepted" in subjects[0]


def test_variances_name_a_category_spent_beyond_the_threshold_without_blocking(grant_and_people):
    grant, grantee, _staff = grant_and_people
    reports.file_financial_report(grantee, grant, START, MIDDLE, lines(travel="4753.10"))  # 4321 × 1.1 = 4753.10
    assert reports.variances(grant) == []
    reports.file_financial_report(grantee, grant, START, MIDDLE, lines(travel="0.01"))
    assert [row["category"] for row in reports.variances(grant)] == ["travel"]
