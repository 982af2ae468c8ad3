"""The grant page: what the secretariat, donors and the grantee read (money, budget vs
actual and its chart, tranches, disbursements, reports, revisions, history), the
secretariat's forms and their refusals (the form comes back as typed, with the reason),
and a cost that does not grow with the grant's life."""
from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_user
from tests.grants.given import approved_grant, grantee, set_reports, spend
from tests.helpers import post_form, web_login
from unscar.extensions import db
from unscar.grants.disbursements import disburse
from unscar.grants.models import GrantStatus, ReportStage, ReportStatus, Revision, RevisionStatus

TODAY = date.today()


def _client(app, user):
    client = app.test_client()
    assert web_login(client, user.email).status_code == 302
    return client


@pytest.mark.parametrize("role", ["secretariat", "donor", "grantee"])
def test_the_grant_page_shows_its_money_and_life(app, role):
    grant, staff = approved_grant("10000.00")
    disburse(staff, grant, Decimal("7000.00"), TODAY)
    db.session.commit()
    spend(grant, "1234.50")
    user = grantee(grant) if role == "grantee" else make_user(role)
    page = _client(app, user).get(f"/grants/{grant.id}").get_data(as_text=True)
    assert grant.agreement_number in page and grant.proposal.organisation.name in page
    assert 'data-testid="budget"' in page and "1,234.50" in page and "7,000.00" in page
    assert "partly paid" not in page and ">paid<" in page  # the first tranche is paid in full
    assert "Disbursement recorded" in page
    assert ('data-testid="secretariat-forms"' in page) == (role == "secretariat")
    chart = _client(app, user).get(f"/grants/{grant.id}/budget.png")
    assert chart.status_code == 200 and chart.mimetype == "image/png"


@pytest.mark.parametrize("role, expected", [("reviewer", 403), ("applicant", 404)])
def test_others_do_not_see_the_grant(app, role, expected):
    grant, _staff = approved_grant()
    client = _client(app, make_user(role))
    assert client.get(f"/grants/{grant.id}").status_code == expected
    assert client.get(f"/grants/{grant.id}/budget.png").status_code == expected


def test_the_secretariat_disburses_from_the_page_and_a_refusal_keeps_what_was_typed(app):
    grant, staff = approved_grant("10000.00")
    client = _client(app, staff)
    url = f"/grants/{grant.id}"
    refused = post_form(client, f"{url}/disbursements", {"amount_usd": "8,000.00", "date": "2026-12-01"}, page=url)
    assert refused.status_code == 409
    text = refused.get_data(as_text=True)
    assert "needs a reason" in text and 'value="8,000.00"' in text
    done = post_form(client, f"{url}/disbursements", {"amount_usd": "8000", "date": "2026-12-01",
                                                       "override_reason": "Early start."}, page=url,
                     follow_redirects=True)
    text = done.get_data(as_text=True)
    assert "The disbursement is recorded." in text and "Early start." in text
    bad = post_form(client, f"{url}/disbursements", {"amount_usd": "-3", "date": "not a date"}, page=url)
    assert bad.status_code == 422


def test_the_secretariat_changes_the_schedule_from_the_page(app):
    grant, staff = approved_grant("10000.00")
    client = _client(app, staff)
    url = f"/grants/{grant.id}"
    rows = {"tranches-0-amount_usd": "6000", "tranches-0-condition": "on_approval",
            "tranches-1-amount_usd": "3000", "tranches-1-condition": "on_date", "tranches-1-date": "2027-03-01"}
    wrong = post_form(client, f"{url}/tranches", rows, page=url)
    assert wrong.status_code == 422 and "must make the approved" in wrong.get_data(as_text=True)
    rows["tranches-1-amount_usd"] = "4000"
    assert post_form(client, f"{url}/tranches", rows, page=url).status_code == 302
    db.session.expire_all()
    assert [t.amount_usd for t in grant.tranches] == [Decimal("6000.00"), Decimal("4000.00")]


def test_the_secretariat_suspends_resumes_and_closes_from_the_page(app):
    grant, staff = approved_grant("10000.00")
    client = _client(app, staff)
    url = f"/grants/{grant.id}"
    assert post_form(client, f"{url}/status", {"status": "suspended", "reason": "Audit."}, page=url).status_code == 302
    assert post_form(client, f"{url}/status", {"status": "suspended", "reason": "Again."}, page=url).status_code == 409
    assert post_form(client, f"{url}/status", {"status": "active", "reason": "Done."}, page=url).status_code == 302
    early = post_form(client, f"{url}/close", {"refund_usd": "0"}, page=url)
    assert early.status_code == 409 and "not accepted" in early.get_data(as_text=True)
    set_reports(grant, ReportStage.final, ReportStatus.accepted)
    closed = post_form(client, f"{url}/close", {"refund_usd": "0"}, page=url, follow_redirects=True)
    assert "The grant is closed" in closed.get_data(as_text=True) and "Grant closed" in closed.get_data(as_text=True)
    db.session.expire_all()
    assert grant.status is GrantStatus.closed


def _live(grant, staff, times: int) -> None:
    for i in range(times):
        disburse(staff, grant, Decimal("1000.00"), TODAY)
        db.session.add(Revision(grant=grant, reason=f"Change {i}", requested_by_id=grantee(grant).id,
                                status=RevisionStatus.pending))
    db.session.commit()


def test_the_page_costs_as_many_statements_for_a_long_life_as_for_a_short_one(app, count_statements):
    grant, staff = approved_grant("10000.00")
    _live(grant, staff, 1)
    client = _client(app, make_user("donor"))
    with count_statements() as few:
        client.get(f"/grants/{grant.id}")
    _live(grant, staff, 4)
    spend(grant, "500.00")
    with count_statements() as many:
        client.get(f"/grants/{grant.id}")
    assert len(many) == len(few)


def test_the_history_tells_the_reports_life_to_the_grantee_without_staff_names(app):
    from tests.grants.reporting import approved_grant as grant_with_people, lines
    from unscar.grants import reports

    grant, person, staff = grant_with_people()
    category = grant.budget_lines[0].category.value
    report = reports.file_financial_report(person, grant, grant.start_date, grant.start_date,
                                           lines(**{category: "100.00"}))
    reports.review_report(staff, report, "returned", "Give the receipts, please.")
    db.session.commit()
    html = _client(app, person).get(f"/grants/{grant.id}").get_data(as_text=True)
    history = html[html.index('data-testid="history"'):]
    assert "Report filed" in history and "USD 100.00" in history
    assert "Report returned" in history and "Give the receipts, please." in history
    assert "by UNSCAR secretariat" in history and staff.name not in history
