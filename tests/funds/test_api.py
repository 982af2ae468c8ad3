"""The fund's API (API.md "The fund"): who may write and read, the answers' shapes, and
bad input refused with 422 (or 409 for a second receipt), never a 500."""
from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_user
from tests.helpers import bearer
from unscar.extensions import db
from unscar.funds import services

API = "/api/v1"


@pytest.fixture
def staff_headers(client):
    return bearer(client, make_user("secretariat"))


@pytest.fixture
def donor_id(client, staff_headers):
    response = client.post(f"{API}/donors", json={"name": "Norway", "country": "NOR"}, headers=staff_headers)
    assert response.status_code == 201
    return response.get_json()["id"]


def contribution(donor, **changes):
    return {"donor_id": donor, "amount": "100000.00", "currency": "EUR", "usd_rate": "1.085",
            "status": "received", "date": "2026-03-01", **changes}


def test_a_receipt_shows_in_the_fund_as_two_decimal_strings(client, staff_headers, donor_id):
    response = client.post(f"{API}/contributions", json=contribution(donor_id, earmark="region:Africa"),
                           headers=staff_headers)
    assert response.status_code == 201
    body = response.get_json()
    assert (body["status"], body["usd_amount"], body["usd_rate"], body["earmark"]) == (
        "received", "108500.00", "1.085000", "region:Africa")
    fund = client.get(f"{API}/fund", headers=staff_headers).get_json()
    assert fund == {"pledged_usd": "0.00", "received_usd": "108500.00", "psc_usd": "14105.00",
                    "programmable_usd": "94395.00", "committed_usd": "0.00", "available_usd": "94395.00",
                    "disbursed_usd": "0.00", "spent_usd": "0.00", "refunded_usd": "0.00"}


def test_a_pledge_is_received_once_with_its_own_date_and_rate(client, staff_headers, donor_id):
    pledge = client.post(f"{API}/contributions", json=contribution(donor_id, status="pledged", currency="NOK",
                                                                   amount=500000, usd_rate=0.0921),
                         headers=staff_headers).get_json()
    assert pledge["status"] == "pledged" and pledge["pledged_on"] == "2026-03-01"
    assert client.get(f"{API}/fund", headers=staff_headers).get_json()["pledged_usd"] == "46050.00"
    url = f"{API}/contributions/{pledge['id']}/receive"
    received = client.post(url, json={"date": "2026-06-30", "usd_rate": "0.0934", "amount": "480000"},
                           headers=staff_headers)
    assert received.status_code == 200
    assert {k: received.get_json()[k] for k in ("status", "received_on", "amount", "usd_amount")} == {
        "status": "received", "received_on": "2026-06-30", "amount": "480000.00", "usd_amount": "44832.00"}
    again = client.post(url, json={"date": "2026-07-01", "usd_rate": "0.1"}, headers=staff_headers)
    assert again.status_code == 409 and again.mimetype == "application/problem+json"
    fund = client.get(f"{API}/fund", headers=staff_headers).get_json()
    assert (fund["pledged_usd"], fund["received_usd"]) == ("0.00", "44832.00")
    assert client.post(f"{API}/contributions/999/receive", json={"date": "2026-07-01", "usd_rate": "1"},
                       headers=staff_headers).status_code == 404


def test_a_donor_shows_its_contributions_and_the_grants_its_money_went_to(client, staff_headers, donor_id):
    client.post(f"{API}/contributions", json=contribution(donor_id, currency="USD", usd_rate=1, amount=1000),
                headers=staff_headers)
    client.post(f"{API}/contributions", json=contribution(donor_id, status="pledged"), headers=staff_headers)
    services.commit_funds(make_user("secretariat"), 42, Decimal("500.00"), [], date(2026, 11, 20))
    db.session.commit()
    body = client.get(f"{API}/donors/{donor_id}", headers=bearer(client, make_user("donor"))).get_json()
    assert (body["name"], body["country"], body["received_usd"], body["pledged_usd"]) == (
        "Norway", "NOR", "1000.00", "108500.00")
    assert [c["status"] for c in body["contributions"]] == ["received", "pledged"]
    # The grant's agreement number is the grants part's; funds knows the grant by id.
    assert body["grants"] == [{"grant_id": 42, "reference": None, "attributed_usd": "500.00"}]


def test_lists_are_pages_and_filter_by_donor(client, staff_headers, donor_id):
    other = client.post(f"{API}/donors", json={"name": "Austria", "country": "AUT"}, headers=staff_headers)
    other_id = other.get_json()["id"]
    for donor in (donor_id, other_id, donor_id):
        client.post(f"{API}/contributions", json=contribution(donor), headers=staff_headers)
    donors = client.get(f"{API}/donors", headers=staff_headers).get_json()
    assert [d["name"] for d in donors["items"]] == ["Austria", "Norway"] and donors["total"] == 2
    mine = client.get(f"{API}/contributions?donor_id={donor_id}&per_page=1", headers=staff_headers).get_json()
    assert (mine["total"], mine["per_page"], [c["donor_id"] for c in mine["items"]]) == (2, 1, [donor_id])
    assert client.get(f"{API}/contributions?per_page=101", headers=staff_headers).status_code == 422


@pytest.mark.parametrize("role, write, read", [("anonymous", 401, 401), ("applicant", 403, 403),
                                               ("reviewer", 403, 403), ("donor", 403, 200),
                                               ("admin", 403, 200), ("secretariat", None, 200)])
def test_the_secretariat_writes_and_staff_and_donors_read(client, staff_headers, donor_id, role, write, read):
    headers = {} if role == "anonymous" else bearer(client, make_user(role))
    pledge = client.post(f"{API}/contributions", json=contribution(donor_id, status="pledged"),
                         headers=staff_headers).get_json()
    writes = [client.post(f"{API}/donors", json={"name": "Japan", "country": "JPN"}, headers=headers),
              client.post(f"{API}/contributions", json=contribution(donor_id), headers=headers),
              client.post(f"{API}/contributions/{pledge['id']}/receive", json={"date": "2026-05-01",
                                                                               "usd_rate": "1.1"}, headers=headers)]
    assert [w.status_code for w in writes] == ([201, 201, 200] if write is None else [write] * 3)
    for url in ("/donors", f"/donors/{donor_id}", "/contributions", "/fund"):
        assert client.get(f"{API}{url}", headers=headers).status_code == read, url


@pytest.mark.parametrize("field, changes", [
    ("amount", {"amount": "-5.00"}), ("amount", {"amount": 0}), ("amount", {"amount": "10.005"}),
    ("amount", {"amount": "1e3"}), ("currency", {"currency": "ABC"}), ("currency", {"currency": "EURO"}),
    ("usd_rate", {"usd_rate": 0}), ("usd_rate", {"usd_rate": "0.0000001"}), ("usd_rate", {"usd_rate": -1}),
    ("earmark", {"earmark": "theme:unicorns"}), ("earmark", {"earmark": "region:Atlantis"}),
    ("status", {"status": "promised"}), ("date", {"date": "2026-02-30"}), ("donor_id", {"donor_id": 99999}),
    ("colour", {"colour": "blue"}),
])
def test_bad_contributions_are_refused_with_422_naming_the_field(client, staff_headers, donor_id, field, changes):
    response = client.post(f"{API}/contributions", json=contribution(donor_id, **changes), headers=staff_headers)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]
    assert client.get(f"{API}/fund", headers=staff_headers).get_json()["received_usd"] == "0.00"


def test_bad_receipts_and_donors_are_refused(client, staff_headers, donor_id):
    pledge = client.post(f"{API}/contributions", json=contribution(donor_id, status="pledged"),
                         headers=staff_headers).get_json()
    url = f"{API}/contributions/{pledge['id']}/receive"
    for body in ({"date": "2026-05-01", "usd_rate": 0}, {"date": "2026-05-01", "usd_rate": "1", "amount": "-1"},
                 {"date": "2026-05-01", "usd_rate": "1", "amount": "0.001"}, {"usd_rate": "1"}):
        assert client.post(url, json=body, headers=staff_headers).status_code == 422, body
    for body in ({"name": "X", "country": "XYZ"}, {"name": "", "country": "NOR"}, {"name": "X"}):
        assert client.post(f"{API}/donors", json=body, headers=staff_headers).status_code == 422, body
    not_json = client.post(f"{API}/donors", data="name=X", headers=staff_headers)
    assert not_json.status_code == 400
