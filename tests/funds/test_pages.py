"""The fund's pages: the dashboard's figures and tables (the charts' numbers for screen
readers), the charts drawn once per data version, the donors' pages; who may open them."""
from datetime import date
from decimal import Decimal

import pytest

from tests.builders import funded
from tests.factories import make_user
from tests.helpers import web_login
from unscar.funds import services


def _client(app, role):
    client = app.test_client()
    assert web_login(client, make_user(role).email).status_code == 302
    return client


def test_the_dashboard_shows_the_ledger_and_what_each_chart_draws(app):
    staff = make_user("secretariat")
    donor = funded("100000.00", staff=staff)
    services.record_contribution(staff, donor, Decimal("50000.00"), "EUR", Decimal("1.10"), "pledged", date.today())
    services.commit_funds(staff, 7, Decimal("20000.00"), [], date.today())
    from unscar.extensions import db
    db.session.commit()
    page = _client(app, "donor").get("/funds/").get_data(as_text=True)
    for figure in ("100,000.00", "13,000.00", "87,000.00", "20,000.00", "67,000.00", "55,000.00"):
        assert figure in page, figure
    assert 'data-testid="by-donor"' in page and "Kingdom of Norway" in page and 'data-testid="by-year"' in page
    client = _client(app, "secretariat")
    for url in ("/funds/donors.png", "/funds/flows.png"):
        chart = client.get(url)
        assert chart.status_code == 200 and chart.data.startswith(b"\x89PNG")


def test_a_donors_page_lists_its_contributions_and_grants(app):
    funded("100000.00")
    client = _client(app, "donor")
    listing = client.get("/funds/donors/").get_data(as_text=True)
    assert "Kingdom of Norway" in listing
    page = client.get("/funds/donors/1").get_data(as_text=True)
    assert 'data-testid="contributions"' in page and "100,000.00" in page


@pytest.mark.parametrize("role, expected", [("secretariat", 200), ("admin", 200), ("donor", 200),
                                            ("reviewer", 403), ("applicant", 403)])
def test_who_opens_the_fund(app, role, expected):
    assert _client(app, role).get("/funds/").status_code == expected
    assert _client(app, role).get("/funds/donors/").status_code == expected
