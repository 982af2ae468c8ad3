"""Disbursements: any amount up to what is due; beyond it only with the secretariat's
reason (audited); never beyond the approved amount, also when many are recorded at the
same moment from several server processes (SQLite and PostgreSQL); never on a suspended
or closed grant."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import make_user
from tests.grants.given import approved_grant, grantee
from tests.races import WORKERS, race
from unscar.accounts.models import User
from unscar.audit.models import AuditEvent
from unscar.errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from unscar.extensions import db
from unscar.funds.services import fund_figures, grant_figures
from unscar.grants.disbursements import disburse
from unscar.grants.models import Grant
from unscar.grants.suspension import set_suspension

TODAY = date.today()


def test_what_is_due_is_paid_without_a_reason_and_reaches_the_ledger(app):
    grant, staff = approved_grant("10000.00")
    disburse(staff, grant, Decimal("7000.00"), TODAY)
    db.session.commit()
    assert grant_figures(grant.id)["disbursed_usd"] == Decimal("7000.00")
    assert fund_figures()["disbursed_usd"] == Decimal("7000.00")


def test_paying_beyond_what_is_due_needs_a_reason_which_is_audited(app):
    grant, staff = approved_grant("10000.00")
    with pytest.raises(Conflict, match="override_reason"):
        disburse(staff, grant, Decimal("7000.01"), TODAY)
    db.session.rollback()
    disbursement = disburse(staff, grant, Decimal("9000.00"), TODAY, override_reason="Training moved forward.")
    db.session.commit()
    assert disbursement.override_reason == "Training moved forward."
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "grant.disbursed")).one()
    assert event.after["override_reason"] == "Training moved forward." and event.after["due_usd"] == "7000.00"


def test_nothing_is_paid_beyond_the_approved_amount_even_with_a_reason(app):
    grant, staff = approved_grant("10000.00")
    disburse(staff, grant, Decimal("9999.99"), TODAY, override_reason="All at once.")
    db.session.commit()
    with pytest.raises(Conflict, match="at most USD 0.01"):
        disburse(staff, grant, Decimal("0.02"), TODAY, override_reason="More.")


@pytest.mark.parametrize("amount", ["0", "-5", "1.001", "abc", None])
def test_an_amount_that_is_no_payment_is_refused(app, amount):
    grant, staff = approved_grant("10000.00")
    with pytest.raises(ValidationFailed) as refused:
        disburse(staff, grant, amount, TODAY)
    assert "amount_usd" in refused.value.errors


def test_a_suspended_grant_is_not_paid_until_resumed(app):
    grant, staff = approved_grant("10000.00")
    set_suspension(staff, grant, "suspended", "Audit findings.")
    db.session.commit()
    with pytest.raises(InvalidTransition):
        disburse(staff, grant, Decimal("100.00"), TODAY)
    db.session.rollback()
    set_suspension(staff, grant, "active", "Findings answered.")
    disburse(staff, grant, Decimal("100.00"), TODAY)
    db.session.commit()


@pytest.mark.parametrize("role", ["donor", "applicant", "admin"])
def test_only_the_secretariat_disburses(app, role):
    grant, _staff = approved_grant("10000.00")
    actor = grantee(grant) if role == "applicant" else make_user(role)
    with pytest.raises(PermissionDenied):
        disburse(actor, grant, Decimal("100.00"), TODAY)


def test_concurrent_disbursements_never_exceed_the_approved_amount(app, make_app):
    grant, staff = approved_grant("10000.00")
    grant_id, staff_id = grant.id, staff.id

    def pay(_i):
        disburse(db.session.get(User, staff_id), db.session.get(Grant, grant_id), Decimal("3000.00"), TODAY,
                 override_reason="Everything at once.")

    outcomes = race(make_app, pay)
    db.session.rollback()
    assert sorted(outcomes) == ["Conflict"] * (WORKERS - 3) + ["ok"] * 3
    assert grant_figures(grant_id)["disbursed_usd"] == Decimal("9000.00")


def test_concurrent_disbursements_without_a_reason_stop_at_what_is_due(app, make_app):
    grant, staff = approved_grant("10000.00")  # 7,000.00 due
    grant_id, staff_id = grant.id, staff.id

    def pay(_i):
        disburse(db.session.get(User, staff_id), db.session.get(Grant, grant_id), Decimal("2000.00"), TODAY)

    outcomes = race(make_app, pay)
    db.session.rollback()
    assert sorted(outcomes) == ["Conflict"] * (WORKERS - 3) + ["ok"] * 3
    assert grant_figures(grant_id)["disbursed_usd"] == Decimal("6000.00")
