"""The portfolio's figures (GET /api/v1/portfolio and the dashboard): the fund's history
read off as the seed report says it, grants counted from their approval, every filter,
money from the ledger, bad filters 422, and a dashboard whose cost does not grow with the
number of projects."""
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import CallFactory, make_user
from tests.portfolio.conftest import API, approve, load_history
from unscar.extensions import db
from unscar.funds import services as funds
from unscar.funds.models import Donor
from unscar.grants.models import Grant
from unscar.portfolio.summary import about_usd


def figures(client, query: str = "") -> dict:
    response = client.get(f"{API}?{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_history_reads_39_projects_about_usd_6_million_and_11_in_2016(client, history):
    body = figures(client)
    assert (body["projects"], body["approved_usd"]) == (39, "6000000.00")
    assert body["summary_text"].startswith(
        "Since its establishment in 2013, the fund has financed 39 projects around the world with a total budget "
        "of about USD 6.0 million; in 2016 it financed 11 projects for about USD 1.7 million, on ")
    # History predates the ledger: its years show no money received or spent here.
    assert {"key": 2016, "projects": 11, "approved_usd": "1700000.00", "disbursed_usd": "0.00",
            "spent_usd": "0.00"} in body["by_year"]
    assert body["disbursed_usd"] == "0.00" and body["delivery_rate"] is None  # history has no ledger


def test_the_dashboard_says_so_to_anyone(client, history):
    page = client.get("/portfolio/").get_data(as_text=True)
    assert "39 projects" in page and "about USD 6" in page
    assert "in 2016 it financed 11 projects for about USD 1.7 million" in page
    assert 'data-testid="downloads"' in page


def test_the_summary_names_the_last_year_of_the_range_and_its_themes(client, history):
    text = figures(client, "year_from=2014&year_to=2015")["summary_text"]
    assert text.startswith("Since 2014, the fund has financed 20 projects around the world with a total budget of "
                           "about USD 3.1 million; in 2015 it financed 11 projects for about USD 1.7 million")
    assert ", through " in text


@pytest.mark.parametrize("amount, text", [("5960000", "about USD 6.0 million"), ("1650000", "about USD 1.7 million"),
                                          ("1000000", "about USD 1.0 million"), ("449500", "about USD 450,000"),
                                          ("93321", "about USD 93,000")])
def test_amounts_read_in_millions_with_one_decimal_or_in_thousands(amount, text):
    assert about_usd(Decimal(amount)) == text


def test_a_grant_counts_from_its_approval(client, history):
    grant = approve(1)[0]
    body = figures(client)
    assert body["projects"] == 40
    assert Decimal(body["approved_usd"]) == Decimal("6000000.00") + grant.approved_usd
    assert body["by_year"][-1]["projects"] == 1 and body["by_gender_marker"]


def test_disbursed_and_spent_come_from_the_ledger(client):
    grant = approve(1)[0]
    staff = make_user("secretariat")
    funds.record_disbursement(staff, grant.id, Decimal("50000.00"), date.today())
    funds.record_expenditure(staff, grant.id, Decimal("20000.10"), date.today())
    db.session.commit()
    body = figures(client)
    assert (body["disbursed_usd"], body["spent_usd"]) == ("50000.00", "20000.10")
    rate = (Decimal("20000.10") / grant.approved_usd).quantize(Decimal("0.0001"))
    assert body["delivery_rate"] == str(rate)


def test_the_year_series_carries_the_money_received_and_spent(client, history):
    grant = approve(1)[0]
    staff = make_user("secretariat")
    funds.record_disbursement(staff, grant.id, Decimal("50000.00"), date.today())
    funds.record_expenditure(staff, grant.id, Decimal("20000.10"), date.today())
    db.session.commit()
    year = grant.proposal.call.year
    series = {entry["key"]: entry for entry in figures(client)["by_year"]}
    assert series[year] == {"key": year, "projects": 1, "approved_usd": str(grant.approved_usd),
                            "disbursed_usd": "50000.00", "spent_usd": "20000.10"}
    assert (series[2016]["disbursed_usd"], series[2016]["spent_usd"]) == ("0.00", "0.00")
    assert list(series) == sorted(series)


def test_the_figures_are_kept_between_requests_until_anything_changes(client, count_statements):
    grant = approve(1)[0]
    first = figures(client)
    with count_statements() as again:
        assert figures(client) == first
    # The second request reads the data's version, not the projects: no UNION of grants and history.
    assert again and not any("UNION" in statement.upper() for statement in again)
    staff = make_user("secretariat")
    funds.record_disbursement(staff, grant.id, Decimal("50000.00"), date.today())
    db.session.commit()
    assert figures(client)["disbursed_usd"] == "50000.00"
    assert figures(client, "year_from=2000")["disbursed_usd"] == "50000.00"
    second = approve(1)[0]
    assert figures(client)["projects"] == 2
    assert Decimal(figures(client)["approved_usd"]) == grant.approved_usd + second.approved_usd


def test_every_filter_selects_its_projects(client, history):
    assert figures(client, "year_from=2016")["projects"] == 11
    assert figures(client, "year_to=2013")["projects"] == 8
    by_theme = {e["key"]: e["projects"] for e in figures(client)["by_theme"]}
    assert figures(client, "theme=legislation")["projects"] == by_theme["legislation"]
    by_region = {e["key"]: e["projects"] for e in figures(client)["by_region"]}
    assert figures(client, "region=Oceania")["projects"] == by_region["Oceania"]
    by_type = {e["key"]: e["projects"] for e in figures(client)["by_applicant_type"]}
    assert figures(client, "applicant_type=un_entity")["projects"] == by_type["un_entity"]
    combined = figures(client, "year_from=2015&year_to=2016&region=Africa&instrument=poa&activity_type=capacity_building")
    assert 0 < combined["projects"] < 22
    assert "in Africa" in combined["summary_text"]


def test_call_gender_marker_and_donor_select_grants(client, history):
    grants = approve(2)
    approve(1, gender_marker=2)
    assert figures(client, f"call_id={grants[0].proposal.call_id}")["projects"] == 2
    assert figures(client, "gender_marker=2")["projects"] == 1
    for donor in db.session.scalars(select(Donor)):
        # The grants its money was attributed to when each approval was recorded.
        attributed = {g["grant_id"] for g in funds.donor_summary(donor)["grants"]}
        listed = client.get(f"{API}/projects?donor_id={donor.id}").get_json()["items"]
        assert {item["reference"] for item in listed} == {db.session.get(Grant, i).proposal.reference
                                                          for i in attributed}
        assert all(item["source"] == "grant" for item in listed)


@pytest.mark.parametrize("query, field", [
    ("theme=banana", "theme"), ("region=Atlantis", "region"), ("instrument=x", "instrument"),
    ("activity_type=x", "activity_type"), ("applicant_type=company", "applicant_type"), ("gender_marker=3", "gender_marker"),
    ("year_from=abc", "year_from"), ("year_from=2016&year_to=2014", "year_to"), ("donor_id=999", "donor_id"),
    ("call_id=999", "call_id"), ("donor_id=-1", "donor_id"), ("colour=blue", "colour")])
def test_unknown_filter_values_are_422(client, query, field):
    response = client.get(f"{API}?{query}")
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


def test_a_draft_call_is_no_filter_to_the_public(client):
    call = CallFactory(draft=True)
    assert client.get(f"{API}?call_id={call.id}").status_code == 422


def test_the_dashboard_shows_bad_filters_as_a_message(client):
    response = client.get("/portfolio/?theme=banana")
    assert response.status_code == 422 and 'data-testid="filter-errors"' in response.get_data(as_text=True)


def test_the_dashboard_costs_as_many_statements_for_many_projects_as_for_few(client, count_statements):
    approve(1)
    with count_statements() as few:
        assert client.get("/portfolio/").status_code == 200
    load_history()
    approve(3)
    with count_statements() as many:
        assert client.get("/portfolio/").status_code == 200
    assert len(many) == len(few)


def test_the_api_costs_as_many_statements_for_many_projects_as_for_few(client, count_statements):
    approve(1)
    with count_statements() as few:
        assert client.get(API).status_code == 200
    load_history()
    approve(3)
    with count_statements() as many:
        assert client.get(API).status_code == 200
    assert len(many) == len(few)


def test_the_charts_are_drawn_for_anyone(client, history):
    for url in ("/portfolio/years.png", "/portfolio/theme.png", "/portfolio/region.png?year_from=2015"):
        response = client.get(url)
        assert response.status_code == 200 and response.mimetype == "image/png"
