"""Budget revisions and no-cost extensions: the grantee's request (the total never grows,
no category below what it spent), the secretariat's decision applying it, the final
reports' due dates moving with an extension."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from tests.factories import make_user
from tests.grants.reporting import approved_grant, lines
from unscar.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from unscar.extensions import db
from unscar.grants import reports, revisions
from unscar.grants.budget import current_budget
from unscar.grants.history import grant_history
from unscar.grants.models import GrantStatus, ReportStage, RevisionStatus
from unscar.outbox.models import OutboxMessage


@pytest.fixture
def grant_and_people(app):
    return approved_grant()


def _budget(grant) -> dict:
    return {category.value: amount for category, amount in current_budget(grant).items()}


def test_an_approved_reallocation_becomes_the_budget(grant_and_people):
    grant, grantee, staff = grant_and_people
    revision = revisions.request_revision(grantee, grant, [{"category": "staff", "budget_usd": "50000"},
                                                           {"category": "equipment", "budget_usd": "4000.00"}],
                                          None, "A vehicle instead of a coordinator's months.")
    db.session.commit()
    assert _budget(grant)["staff"] == Decimal("54000.00")  # pending: nothing changes yet
    revisions.decide_revision(staff, revision, "approved", "Agreed.")
    db.session.commit()
    assert _budget(grant)["staff"] == Decimal("50000.00") and _budget(grant)["equipment"] == Decimal("4000.00")
    assert _budget(grant)["travel"] == Decimal("4321.00")  # the others keep theirs
    assert revision.status is RevisionStatus.approved and grant.status is GrantStatus.active
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "revision_decided")).one()
    assert mail.to_address == grantee.email and "approved" in mail.subject


def test_a_revision_that_grows_the_total_is_refused_naming_lines(grant_and_people):
    grant, grantee, _staff = grant_and_people
    with pytest.raises(ValidationFailed) as refused:
        revisions.request_revision(grantee, grant, [{"category": "staff", "budget_usd": "54000.01"}], None, "More.")
    assert "lines" in refused.value.errors


def test_a_category_cannot_fall_below_what_it_spent(grant_and_people):
    grant, grantee, _staff = grant_and_people
    reports.file_financial_report(grantee, grant, date(2027, 1, 1), date(2027, 10, 1), lines(travel="3000.00"))
    with pytest.raises(ValidationFailed) as refused:
        revisions.request_revision(grantee, grant, [{"category": "travel", "budget_usd": "2999.99"}], None, "Less.")
    assert "lines.0.budget_usd" in refused.value.errors


@pytest.mark.parametrize("body, end, field", [
    ([{"category": "staff", "budget_usd": "-1"}], None, "lines.0.budget_usd"),
    ([{"category": "staff", "budget_usd": "1.234"}], None, "lines.0.budget_usd"),
    ([{"category": "cars", "budget_usd": "1"}], None, "lines.0.category"),
    ([], None, "lines"),
    ([], date(2028, 6, 30), "end_date"),  # not after the current end
])
def test_bad_revisions_are_refused_naming_the_field(grant_and_people, body, end, field):
    grant, grantee, _staff = grant_and_people
    with pytest.raises(ValidationFailed) as refused:
        revisions.request_revision(grantee, grant, body, end, "Because.")
    assert field in refused.value.errors


def test_a_reason_is_required(grant_and_people):
    grant, grantee, _staff = grant_and_people
    with pytest.raises(ValidationFailed) as refused:
        revisions.request_revision(grantee, grant, [], date(2028, 12, 31), "")
    assert "reason" in refused.value.errors


def test_an_extension_moves_the_end_and_the_final_reports_and_extends_the_grant(grant_and_people):
    grant, grantee, staff = grant_and_people
    new_end = date(2028, 12, 31)
    revision = revisions.request_revision(grantee, grant, [], new_end, "Elections delayed the parliament.")
    revisions.decide_revision(staff, revision, "approved")
    db.session.commit()
    assert grant.end_date == new_end and revision.previous_end_date == date(2028, 6, 30)
    assert grant.status is GrantStatus.extended
    finals = [r for r in grant.reports if r.stage is ReportStage.final]
    assert {(r.period_end, r.due_date) for r in finals} == {(new_end, new_end + timedelta(days=60))}
    interims = [r for r in grant.reports if r.stage is ReportStage.interim]
    assert {r.due_date for r in interims} == {date(2027, 10, 1)}  # unchanged


def test_an_extension_reads_in_the_history_in_the_readers_words(app, grant_and_people):
    grant, grantee, staff = grant_and_people
    revision = revisions.request_revision(grantee, grant, [], date(2028, 12, 31), "Elections delayed the parliament.")
    revisions.decide_revision(staff, revision, "approved")
    db.session.commit()
    with app.test_request_context("/"), force_locale("fr"):
        rows = {row["label"]: row["details"] for row in grant_history(grantee, grant)}
    assert rows["Date de fin prolongée"] == f"30 juin 2028 → 31 déc. 2028 (révision {revision.id})"
    # The status change says what changed, in French, and carries no English sentence.
    assert rows["Statut modifié"] == "en cours → prolongée"


def test_a_rejected_revision_changes_nothing(grant_and_people):
    grant, grantee, staff = grant_and_people
    revision = revisions.request_revision(grantee, grant, [{"category": "staff", "budget_usd": "1"}],
                                          date(2029, 1, 1), "Why not.")
    revisions.decide_revision(staff, revision, "rejected", "No.")
    assert _budget(grant)["staff"] == Decimal("54000.00") and grant.end_date == date(2028, 6, 30)
    assert grant.status is GrantStatus.active


def test_one_pending_revision_at_a_time_and_decided_once(grant_and_people):
    grant, grantee, staff = grant_and_people
    revision = revisions.request_revision(grantee, grant, [], date(2028, 12, 31), "Delay.")
    with pytest.raises(InvalidTransition):
        revisions.request_revision(grantee, grant, [], date(2029, 1, 31), "More delay.")
    revisions.decide_revision(staff, revision, "rejected")
    with pytest.raises(InvalidTransition):
        revisions.decide_revision(staff, revision, "approved")


def test_who_requests_and_who_decides(grant_and_people):
    grant, grantee, staff = grant_and_people
    for outsider in (make_user("applicant"), staff):
        with pytest.raises(NotFound):
            revisions.request_revision(outsider, grant, [], date(2028, 12, 31), "Mine.")
    revision = revisions.request_revision(grantee, grant, [], date(2028, 12, 31), "Delay.")
    for other in (grantee, make_user("donor")):
        with pytest.raises(PermissionDenied):
            revisions.decide_revision(other, revision, "approved")
    with pytest.raises(ValidationFailed):
        revisions.decide_revision(staff, revision, "maybe")

