"""The tranche schedule: 70/30 by default (half-up, the last taking the remainder), due on
approval, on acceptance of both interim reports, or from a date; paid in order by the
disbursements; changed by the secretariat only before the first disbursement."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.factories import make_user
from tests.grants.given import approved_grant, set_reports
from unscar.dates import utcnow
from unscar.errors import Conflict, PermissionDenied, ValidationFailed
from unscar.extensions import db
from unscar.grants.disbursements import disburse
from unscar.grants.models import ReportKind, ReportStage, ReportStatus
from unscar.grants.tranches import due_now_usd, set_tranches, tranche_states

TODAY = date.today()


def statuses(grant):
    return [(s.tranche.amount_usd, s.status) for s in tranche_states(grant, utcnow().date())]


def test_the_default_schedule_is_70_30_rounded_half_up_the_last_taking_the_remainder(app):
    grant, _staff = approved_grant("10000.05")  # 70% is 7000.035
    assert statuses(grant) == [(Decimal("7000.04"), "due"), (Decimal("3000.01"), "pending")]
    assert due_now_usd(grant, TODAY) == Decimal("7000.04")


def test_the_second_tranche_falls_due_once_both_interim_reports_are_accepted(app):
    grant, _staff = approved_grant("10000.00")
    set_reports(grant, ReportStage.interim, ReportStatus.accepted, kinds=(ReportKind.financial,))
    assert statuses(grant)[1][1] == "pending"  # the narrative one is still due
    set_reports(grant, ReportStage.interim, ReportStatus.submitted, kinds=(ReportKind.narrative,))
    assert statuses(grant)[1][1] == "pending"
    set_reports(grant, ReportStage.interim, ReportStatus.accepted)
    assert statuses(grant) == [(Decimal("7000.00"), "due"), (Decimal("3000.00"), "due")]
    assert due_now_usd(grant, TODAY) == Decimal("10000.00")


def test_disbursements_pay_the_tranches_in_order(app):
    grant, staff = approved_grant("10000.00")
    disburse(staff, grant, Decimal("5000.00"), TODAY)
    db.session.commit()
    assert statuses(grant) == [(Decimal("7000.00"), "partly_paid"), (Decimal("3000.00"), "pending")]
    assert due_now_usd(grant, TODAY) == Decimal("2000.00")
    disburse(staff, grant, Decimal("3000.00"), TODAY, override_reason="Field office opened early.")
    db.session.commit()
    assert statuses(grant) == [(Decimal("7000.00"), "paid"), (Decimal("3000.00"), "partly_paid")]


def test_the_secretariat_sets_a_schedule_that_makes_the_approved_amount(app):
    grant, staff = approved_grant("10000.00")
    soon = TODAY + timedelta(days=30)
    set_tranches(staff, grant, [{"amount_usd": Decimal("4000.00"), "condition": "on_approval"},
                                {"amount_usd": "3000.00", "condition": "on_date", "date": soon},
                                {"amount_usd": 3000, "condition": "on_interim_acceptance"}])
    db.session.commit()
    assert statuses(grant) == [(Decimal("4000.00"), "due"), (Decimal("3000.00"), "pending"),
                               (Decimal("3000.00"), "pending")]
    assert [s.status for s in tranche_states(grant, soon)] == ["due", "due", "pending"]


@pytest.mark.parametrize("rows, field", [
    ([{"amount_usd": "9000.00", "condition": "on_approval"}], "tranches"),
    ([{"amount_usd": "10000.00", "condition": "on_date"}], "tranches.0.date"),
    ([{"amount_usd": "-1", "condition": "on_approval"}], "tranches.0.amount_usd"),
    ([{"amount_usd": "10000.00", "condition": "whenever"}], "tranches.0.condition"),
    ([], "tranches"),
])
def test_a_schedule_that_breaks_a_rule_is_refused_naming_the_field(app, rows, field):
    grant, staff = approved_grant("10000.00")
    with pytest.raises(ValidationFailed) as refused:
        set_tranches(staff, grant, rows)
    assert field in refused.value.errors


def test_the_schedule_is_fixed_from_the_first_disbursement(app):
    grant, staff = approved_grant("10000.00")
    disburse(staff, grant, Decimal("100.00"), TODAY)
    db.session.commit()
    with pytest.raises(Conflict):
        set_tranches(staff, grant, [{"amount_usd": "10000.00", "condition": "on_approval"}])


def test_only_the_secretariat_sets_the_schedule(app):
    grant, _staff = approved_grant("10000.00")
    with pytest.raises(PermissionDenied):
        set_tranches(make_user("donor"), grant, [{"amount_usd": "10000.00", "condition": "on_approval"}])
