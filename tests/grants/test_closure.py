"""Closure: only an active or extended grant whose final financial and narrative reports
are accepted and none awaits review (409 otherwise, before the refund is looked at); a
refund at most disbursed − spent (422); the refund and the undisbursed commitment go
back to the fund; closing twice is 409."""
from datetime import date
from decimal import Decimal

import pytest
from flask_babel import force_locale

from tests.grants.given import approved_grant, set_reports, spend
from unscar.errors import InvalidTransition, ValidationFailed
from unscar.extensions import db
from unscar.funds.services import fund_figures, grant_figures
from unscar.grants.closure import close_grant
from unscar.grants.disbursements import disburse
from unscar.grants.history import grant_history
from unscar.grants.models import GrantStatus, ReportKind, ReportStage, ReportStatus
from unscar.grants.suspension import set_suspension

TODAY = date.today()


def ready(amount="10000.00", paid="7000.00", spent="5000.00"):
    grant, staff = approved_grant(amount)
    disburse(staff, grant, Decimal(paid), TODAY)
    db.session.commit()
    spend(grant, spent)
    set_reports(grant, ReportStage.interim, ReportStatus.accepted)
    set_reports(grant, ReportStage.final, ReportStatus.accepted)
    return grant, staff


def test_closing_refunds_the_unspent_cash_and_releases_the_undisbursed_commitment(app):
    grant, staff = ready()
    before = fund_figures()["available_usd"]
    close_grant(staff, grant, Decimal("2000.00"))
    db.session.commit()
    assert grant.status is GrantStatus.closed and grant.closed_at is not None
    assert fund_figures()["available_usd"] == before + Decimal("3000.00") + Decimal("2000.00")
    figures = grant_figures(grant.id)
    assert (figures["committed_usd"], figures["refunded_usd"]) == (Decimal("5000.00"), Decimal("2000.00"))


def test_the_closure_reads_in_the_history_in_the_readers_words(app):
    grant, staff = ready()
    close_grant(staff, grant, Decimal("2000.00"))
    db.session.commit()
    with app.test_request_context("/"), force_locale("fr"):
        rows = {row["label"]: row["details"] for row in grant_history(staff, grant)}
    closure = rows["Subvention clôturée"].replace("\N{NARROW NO-BREAK SPACE}", " ")
    assert "USD 2 000,00" in closure and "USD 3 000,00" in closure and "Refund" not in closure, closure


def test_a_refund_beyond_disbursed_minus_spent_is_refused_naming_the_field(app):
    grant, staff = ready()
    with pytest.raises(ValidationFailed) as refused:
        close_grant(staff, grant, Decimal("2000.01"))
    assert "refund_usd" in refused.value.errors


@pytest.mark.parametrize("refund", ["-1", "1.001", "1e400", "lots"])
def test_a_refund_that_is_no_amount_is_refused(app, refund):
    grant, staff = ready()
    with pytest.raises(ValidationFailed):
        close_grant(staff, grant, refund)


@pytest.mark.parametrize("kind, status", [(ReportKind.financial, ReportStatus.due),
                                          (ReportKind.narrative, ReportStatus.returned),
                                          (ReportKind.narrative, ReportStatus.submitted)])
def test_a_final_report_not_accepted_refuses_closure_before_the_refund_is_read(app, kind, status):
    grant, staff = ready()
    set_reports(grant, ReportStage.final, status, kinds=(kind,))
    with pytest.raises(InvalidTransition):
        close_grant(staff, grant, Decimal("999999.00"))  # a refund far too large: the 409 comes first


def test_a_report_awaiting_review_refuses_closure(app):
    grant, staff = ready()
    set_reports(grant, ReportStage.interim, ReportStatus.submitted, kinds=(ReportKind.financial,))
    with pytest.raises(InvalidTransition, match="1 report of this grant awaits review"):
        close_grant(staff, grant, Decimal("0.00"))


def test_closing_twice_is_refused(app):
    grant, staff = ready()
    close_grant(staff, grant, Decimal("0.00"))
    db.session.commit()
    with pytest.raises(InvalidTransition):
        close_grant(staff, grant, Decimal("0.00"))


def test_a_suspended_grant_is_resumed_before_it_closes(app):
    grant, staff = ready()
    set_suspension(staff, grant, "suspended", "Audit.")
    db.session.commit()
    with pytest.raises(InvalidTransition):
        close_grant(staff, grant, Decimal("0.00"))
