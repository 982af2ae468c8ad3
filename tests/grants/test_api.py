"""The grants API (API.md "Grants"): the grant's shape, who reads (its organisation, donors,
staff; reviewers 403; another organisation 404), who writes (the secretariat; everyone
else 403 before any look-up), and bad input answered with 422, never a 500."""
from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_user
from tests.grants.given import approved_grant, grantee, set_reports
from tests.helpers import bearer
from unscar.extensions import db
from unscar.grants.models import ReportStage, ReportStatus, Revision, RevisionStatus

API = "/api/v1"
DETAIL_FIELDS = {"agreement_number", "proposal_id", "start_date", "end_date", "approved_usd", "disbursed_usd",
                 "spent_usd", "balance_usd", "budget", "tranches", "reports", "revisions", "status"}


def test_a_grant_shows_its_money_budget_tranches_and_reports(client, app):
    grant, staff = approved_grant("10000.00")
    headers = bearer(client, staff)
    paid = client.post(f"{API}/grants/{grant.id}/disbursements", json={"amount_usd": "4000", "date": "2026-12-01"},
                       headers=headers)
    assert paid.status_code == 201 and paid.get_json()["amount_usd"] == "4000.00"
    body = client.get(f"{API}/grants/{grant.id}", headers=bearer(client, grantee(grant))).get_json()
    assert DETAIL_FIELDS <= set(body)
    assert (body["approved_usd"], body["disbursed_usd"], body["spent_usd"], body["balance_usd"]) == (
        "10000.00", "4000.00", "0.00", "4000.00")
    assert body["status"] == "active" and body["due_usd"] == "3000.00"
    assert [(t["amount_usd"], t["condition"], t["status"]) for t in body["tranches"]] == [
        ("7000.00", "on_approval", "partly_paid"), ("3000.00", "on_interim_acceptance", "pending")]
    assert {row["category"] for row in body["budget"]} and all(
        set(row) >= {"category", "budget_usd", "spent_usd", "variance_usd", "variance_pct"} for row in body["budget"])
    assert sum(Decimal(row["budget_usd"]) for row in body["budget"]) == Decimal("10000.00")
    assert len(body["reports"]) == 4 and set(body["reports"][0]) >= {
        "id", "kind", "period_start", "period_end", "status", "comment", "due_date"}


def test_a_due_report_past_its_date_reads_overdue_and_revisions_are_listed(client, app):
    grant, staff = approved_grant("10000.00")
    report = grant.reports[0]
    report.due_date = date(2020, 1, 1)
    db.session.add(Revision(grant=grant, reason="More travel.", requested_by_id=grantee(grant).id,
                            status=RevisionStatus.pending))
    db.session.commit()
    body = client.get(f"{API}/grants/{grant.id}", headers=bearer(client, staff)).get_json()
    assert next(r for r in body["reports"] if r["id"] == report.id)["status"] == "overdue"
    assert [(r["status"], r["reason"], r["lines"]) for r in body["revisions"]] == [("pending", "More travel.", [])]


@pytest.mark.parametrize("role, expected", [("secretariat", 200), ("admin", 200), ("donor", 200),
                                            ("reviewer", 403), ("other_applicant", 404), ("grantee", 200)])
def test_who_reads_a_grant(client, app, role, expected):
    grant, _staff = approved_grant()
    user = grantee(grant) if role == "grantee" else make_user("applicant" if role == "other_applicant" else role)
    assert client.get(f"{API}/grants/{grant.id}", headers=bearer(client, user)).status_code == expected
    listed = client.get(f"{API}/grants", headers=bearer(client, user))
    assert listed.status_code == (403 if role == "reviewer" else 200)
    if listed.status_code == 200:
        assert listed.get_json()["total"] == (0 if role == "other_applicant" else 1)


@pytest.mark.parametrize("role", ["donor", "applicant", "admin", "reviewer"])
@pytest.mark.parametrize("method, path, body", [
    ("put", "tranches", {"tranches": [{"amount_usd": "10000.05", "condition": "on_approval"}]}),
    ("post", "disbursements", {"amount_usd": "1", "date": "2026-12-01"}),
    ("post", "status", {"status": "suspended", "reason": "x"}),
    ("post", "close", {"refund_usd": "0"}),
])
def test_only_the_secretariat_writes_and_others_learn_nothing(client, app, role, method, path, body):
    grant, _staff = approved_grant()
    user = grantee(grant) if role == "applicant" else make_user(role)
    headers = bearer(client, user)
    assert getattr(client, method)(f"{API}/grants/{grant.id}/{path}", json=body, headers=headers).status_code == 403
    assert getattr(client, method)(f"{API}/grants/999999/{path}", json=body, headers=headers).status_code == 403


def test_the_list_has_each_grants_figures(client, app):
    grant, staff = approved_grant("10000.00")
    client.post(f"{API}/grants/{grant.id}/disbursements", json={"amount_usd": "100", "date": "2026-12-01"},
                headers=bearer(client, staff))
    body = client.get(f"{API}/grants?per_page=10", headers=bearer(client, make_user("donor"))).get_json()
    assert (body["page"], body["per_page"], body["total"]) == (1, 10, 1)
    item = body["items"][0]
    assert (item["agreement_number"], item["disbursed_usd"], item["organisation"]["id"]) == (
        grant.agreement_number, "100.00", grant.organisation_id)


def test_the_schedule_status_and_closure_through_the_api(client, app):
    grant, staff = approved_grant("10000.00")
    headers = bearer(client, staff)
    url = f"{API}/grants/{grant.id}"
    wrong = client.put(f"{url}/tranches", json={"tranches": [{"amount_usd": "9000", "condition": "on_approval"}]},
                       headers=headers)
    assert wrong.status_code == 422 and "tranches" in wrong.get_json()["errors"]
    tranches = [{"amount_usd": "5000", "condition": "on_approval"},
                {"amount_usd": "5000.00", "condition": "on_date", "date": "2027-01-01"}]
    assert client.put(f"{url}/tranches", json={"tranches": tranches}, headers=headers).status_code == 200
    assert client.post(f"{url}/disbursements", json={"amount_usd": "5000.01", "date": "2026-12-01"},
                       headers=headers).status_code == 409
    assert client.post(f"{url}/disbursements", json={"amount_usd": "5000", "date": "2026-12-01"},
                       headers=headers).status_code == 201
    assert client.put(f"{url}/tranches", json={"tranches": tranches}, headers=headers).status_code == 409
    suspended = client.post(f"{url}/status", json={"status": "suspended", "reason": "Audit."}, headers=headers)
    assert suspended.status_code == 200 and suspended.get_json()["status"] == "suspended"
    assert client.post(f"{url}/close", json={"refund_usd": "0"}, headers=headers).status_code == 409
    assert client.post(f"{url}/status", json={"status": "active", "reason": "Cleared."},
                       headers=headers).get_json()["status"] == "active"
    assert client.post(f"{url}/close", json={"refund_usd": "0"}, headers=headers).status_code == 409  # no reports
    set_reports(grant, ReportStage.final, ReportStatus.accepted)
    too_much = client.post(f"{url}/close", json={"refund_usd": "5000.01"}, headers=headers)
    assert too_much.status_code == 422 and "refund_usd" in too_much.get_json()["errors"]
    closed = client.post(f"{url}/close", json={"refund_usd": "5000"}, headers=headers)
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert closed.get_json()["refunded_usd"] == "5000.00"
    assert client.post(f"{url}/close", json={"refund_usd": "0"}, headers=headers).status_code == 409
    assert client.post(f"{url}/status", json={"status": "suspended", "reason": "x"}, headers=headers).status_code == 409


def test_resuming_a_grant_with_an_approved_extension_returns_it_to_extended(client, app):
    grant, staff = approved_grant()
    db.session.add(Revision(grant=grant, reason="More time.", end_date=date(2030, 1, 1),
                            requested_by_id=grantee(grant).id, status=RevisionStatus.approved))
    db.session.commit()
    headers, url = bearer(client, staff), f"{API}/grants/{grant.id}/status"
    assert client.post(url, json={"status": "suspended", "reason": "Audit."}, headers=headers).status_code == 200
    assert client.post(url, json={"status": "active", "reason": "Ok."}, headers=headers).get_json()["status"] == \
        "extended"


@pytest.mark.parametrize("path, body, field", [
    ("disbursements", {"amount_usd": "-1", "date": "2026-12-01"}, "amount_usd"),
    ("disbursements", {"amount_usd": "1.005", "date": "2026-12-01"}, "amount_usd"),
    ("disbursements", '{"amount_usd": 1e400, "date": "2026-12-01"}', "amount_usd"),
    ("disbursements", {"amount_usd": "1", "date": "2026-02-30"}, "date"),
    ("disbursements", {"amount_usd": "1", "date": "yesterday"}, "date"),
    ("disbursements", {"amount_usd": "1", "date": "2026-12-01", "extra": 1}, "extra"),
    ("tranches", {"tranches": [{"amount_usd": "10000.05", "condition": "on_date", "date": "2026-13-01"}]},
     "tranches.0.date"),
    ("tranches", {"tranches": [{"amount_usd": "10000.05", "condition": "on_date"}]}, "tranches.0.date"),
    ("tranches", {"tranches": "all"}, "tranches"),
    ("status", {"status": "closed", "reason": "x"}, "status"),
    ("status", {"status": "suspended", "reason": ""}, "reason"),
    ("status", {"status": "suspended"}, "reason"),
    ("close", {"refund_usd": "-0.01"}, "refund_usd"),
    ("close", {}, "refund_usd"),
])
def test_bad_input_is_422_naming_the_field(client, app, path, body, field):
    grant, staff = approved_grant()
    method = client.put if path == "tranches" else client.post
    sent = {"data": body, "content_type": "application/json"} if isinstance(body, str) else {"json": body}
    response = method(f"{API}/grants/{grant.id}/{path}", headers=bearer(client, staff), **sent)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]


def test_the_list_costs_as_many_statements_for_five_grants_as_for_one(client, app, count_statements):
    from tests.builders import proposals_under_review
    from unscar.decisions import recording

    grant, staff = approved_grant()
    headers = bearer(client, make_user("donor"))
    with count_statements() as few:
        client.get(f"{API}/grants", headers=headers)
    _call, proposals = proposals_under_review(4)
    for proposal in proposals:
        recording.record_decision(staff, proposal, "approved", Decimal("1000.00"), "Approved.", "SPG-2")
    db.session.commit()
    with count_statements() as many:
        assert client.get(f"{API}/grants", headers=headers).get_json()["total"] == 5
    assert len(many) == len(few)
