"""The reporting API (API.md "Grants"): codes, shapes, roles, 404 before the body is read,
422 keyed by dotted path for bad input (never a 500), lists ordered by due date."""
from datetime import datetime, timezone

import pytest

from tests import files
from tests.factories import make_user
from tests.grants.reporting import approved_grant
from tests.helpers import bearer
from unscar.dates import freeze_clock
from unscar.extensions import db

FIN = {"period_start": "2027-01-01", "period_end": "2027-10-01",
       "lines": [{"category": "staff", "amount_usd": "1000.00"}, {"category": "travel", "amount_usd": 250}]}
NARR = {"period_start": "2027-01-01", "period_end": "2027-10-01", "text": "Training began.",
        "indicators": [{"indicator": "Officers certified", "value": "12"}]}


@pytest.fixture
def setting(app, client):
    grant, grantee, staff = approved_grant()
    return grant.id, bearer(client, grantee), bearer(client, staff)


def _file(client, grant_id, headers, body=FIN, kind="financial"):
    return client.post(f"/api/v1/grants/{grant_id}/{kind}-reports", json=body, headers=headers)


def test_filing_a_financial_report_answers_201_with_variances(client, setting):
    grant_id, grantee, _staff = setting
    response = _file(client, grant_id, grantee)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "submitted" and body["stage"] == "interim" and body["total_usd"] == "1250.00"
    assert body["variances"] == []
    over = _file(client, grant_id, grantee, {**FIN, "lines": [{"category": "travel", "amount_usd": "9000"}]})
    assert [v["category"] for v in over.get_json()["variances"]] == ["travel"]
    assert over.get_json()["variances"][0]["variance_usd"].startswith("-")


def test_filing_a_narrative_report_answers_201(client, setting):
    grant_id, grantee, _staff = setting
    response = _file(client, grant_id, grantee, NARR, "narrative")
    assert response.status_code == 201
    assert response.get_json()["indicators"] == [{"indicator": "Officers certified", "value": "12"}]


@pytest.mark.parametrize("change, field", [
    ({"lines": [{"category": "staff", "amount_usd": "-5"}]}, "lines.0.amount_usd"),
    ({"lines": [{"category": "staff", "amount_usd": "5.123"}]}, "lines.0.amount_usd"),
    ({"lines": [{"category": "staff", "amount_usd": 1e300}]}, "lines.0.amount_usd"),
    ({"lines": [{"category": "equipment", "amount_usd": "5"}]}, "lines.0.category"),
    ({"period_start": "2027-02-30"}, "period_start"),
    ({"period_start": "2026-12-31"}, "period_start"),
    ({"period_end": "2031-01-01"}, "period_end"),
    ({"lines": "staff"}, "lines"),
    ({"extra": 1}, "extra"),
])
def test_bad_financial_input_is_422_naming_the_field(client, setting, change, field):
    grant_id, grantee, _staff = setting
    response = _file(client, grant_id, grantee, {**FIN, **change})
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]


def test_a_huge_exponent_is_422(client, setting):
    grant_id, grantee, _staff = setting
    raw = '{"period_start": "2027-01-01", "period_end": "2027-10-01", "lines": [{"category": "staff", ' \
          '"amount_usd": 1e400}]}'
    response = client.post(f"/api/v1/grants/{grant_id}/financial-reports", data=raw,
                           content_type="application/json", headers=grantee)
    assert response.status_code in (400, 422)


def test_an_unknown_indicator_is_422_naming_it(client, setting):
    grant_id, grantee, _staff = setting
    body = {**NARR, "indicators": [{"indicator": "Nothing like it", "value": "1"}]}
    response = _file(client, grant_id, grantee, body, "narrative")
    assert response.status_code == 422 and "indicators.0.indicator" in response.get_json()["errors"]


def test_another_organisation_gets_404_before_its_body_is_read(client, setting):
    grant_id, _grantee, _staff = setting
    other = bearer(client, make_user("applicant"))
    for kind in ("financial", "narrative"):
        assert _file(client, grant_id, other, {"nonsense": True}, kind).status_code == 404
    response = client.post(f"/api/v1/grants/{grant_id}/revisions", json={"nonsense": True}, headers=other)
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["secretariat", "donor", "reviewer"])
def test_other_roles_may_never_file(client, setting, role):
    grant_id, _grantee, _staff = setting
    assert _file(client, grant_id, bearer(client, make_user(role)), {}).status_code == 403


def test_review_return_correct_and_accept(client, setting):
    grant_id, grantee, staff = setting
    report_id = _file(client, grant_id, grantee).get_json()["id"]
    assert client.post(f"/api/v1/reports/{report_id}/review", json={"decision": "accepted"},
                       headers=grantee).status_code == 403
    returned = client.post(f"/api/v1/reports/{report_id}/review",
                           json={"decision": "returned", "comment": "Receipts?"}, headers=staff)
    assert returned.status_code == 200 and returned.get_json()["status"] == "returned"
    assert client.get("/api/v1/fund", headers=staff).get_json()["spent_usd"] == "0.00"
    again = client.post(f"/api/v1/reports/{report_id}/review", json={"decision": "accepted"}, headers=staff)
    assert again.status_code == 409
    assert client.put(f"/api/v1/reports/{report_id}", json={"nonsense": 1}, headers=grantee).status_code == 422
    corrected = client.put(f"/api/v1/reports/{report_id}", json={**FIN, "lines": [
        {"category": "staff", "amount_usd": "800"}]}, headers=grantee)
    assert corrected.status_code == 200 and corrected.get_json()["status"] == "submitted"
    assert corrected.get_json()["comment"] == "Receipts?"  # shown until the next review
    assert client.get("/api/v1/fund", headers=staff).get_json()["spent_usd"] == "800.00"
    assert client.put(f"/api/v1/reports/{report_id}", json=FIN, headers=grantee).status_code == 409
    accepted = client.post(f"/api/v1/reports/{report_id}/review", json={"decision": "accepted", "comment": "OK"},
                           headers=staff)
    assert accepted.get_json()["status"] == "accepted"


def test_a_narrative_report_is_corrected_with_its_own_body(client, setting):
    grant_id, grantee, staff = setting
    report_id = _file(client, grant_id, grantee, NARR, "narrative").get_json()["id"]
    client.post(f"/api/v1/reports/{report_id}/review", json={"decision": "returned", "comment": "More."},
                headers=staff)
    response = client.put(f"/api/v1/reports/{report_id}", json={**NARR, "text": "Much more."}, headers=grantee)
    assert response.status_code == 200 and response.get_json()["text"] == "Much more."


def test_bad_review_input_is_422(client, setting):
    grant_id, grantee, staff = setting
    report_id = _file(client, grant_id, grantee).get_json()["id"]
    for body, field in (({"decision": "maybe"}, "decision"), ({"decision": "returned"}, "comment")):
        response = client.post(f"/api/v1/reports/{report_id}/review", json=body, headers=staff)
        assert response.status_code == 422 and field in response.get_json()["errors"]


def test_attachments_follow_the_proposal_rules(client, setting):
    grant_id, grantee, _staff = setting
    report_id = _file(client, grant_id, grantee, NARR, "narrative").get_json()["id"]
    url = f"/api/v1/reports/{report_id}/attachments"

    def upload(data, name="evidence.pdf", headers=grantee):
        return client.post(url, data={"file": (__import__("io").BytesIO(data), name)}, headers=headers,
                           content_type="multipart/form-data")

    first = upload(files.pdf_bytes("Attendance"))
    assert first.status_code == 201 and first.get_json()["media_type"] == "application/pdf"
    assert upload(files.pdf_bytes("Attendance")).status_code == 200  # the same bytes again
    assert upload(b"MZ not a document", "virus.pdf").status_code == 422
    assert upload(files.pdf_bytes("x"), headers=bearer(client, make_user("applicant"))).status_code == 404
    listed = client.get(f"/api/v1/reports?grant_id={grant_id}&kind=narrative", headers=grantee).get_json()
    assert [a["filename"] for a in listed["items"][0]["attachments"]] == ["evidence.pdf"]


def test_a_due_report_takes_no_file(client, setting):
    grant_id, grantee, _staff = setting
    due_id = client.get(f"/api/v1/reports?grant_id={grant_id}", headers=grantee).get_json()["items"][0]["id"]
    response = client.post(f"/api/v1/reports/{due_id}/attachments", headers=grantee,
                           data={"file": (__import__("io").BytesIO(files.pdf_bytes()), "a.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code == 409


def test_the_report_list_by_role_and_filter(client, setting):
    grant_id, grantee, staff = setting
    _file(client, grant_id, grantee, {**FIN, "period_end": "2027-03-31"})  # an unscheduled report, no due date
    everything = client.get("/api/v1/reports", headers=staff).get_json()
    assert everything["total"] == 5 and everything["items"][-1]["due_date"] is None  # nulls last
    dues = [item["due_date"] for item in everything["items"][:-1]]
    assert dues == sorted(dues)
    assert client.get("/api/v1/reports", headers=bearer(client, make_user("donor"))).get_json()["total"] == 5
    assert client.get("/api/v1/reports", headers=bearer(client, make_user("applicant"))).get_json()["total"] == 0
    assert client.get("/api/v1/reports", headers=bearer(client, make_user("reviewer"))).status_code == 403
    submitted = client.get("/api/v1/reports?status=submitted", headers=grantee).get_json()
    assert submitted["total"] == 1
    for query in ("status=late", "kind=poem", "grant_id=0", "page=0", "per_page=101"):
        assert client.get(f"/api/v1/reports?{query}", headers=staff).status_code == 422


def test_overdue_reports_are_listed_as_overdue(app, client):
    _grant, _grantee, staff_user = approved_grant()
    freeze_clock(datetime(2027, 10, 2, tzinfo=timezone.utc))
    try:
        staff = bearer(client, staff_user)  # a token of that day
        listed = client.get("/api/v1/reports?status=overdue", headers=staff).get_json()
        assert listed["total"] == 2 and {i["status"] for i in listed["items"]} == {"overdue"}
        assert client.get("/api/v1/reports?status=due", headers=staff).get_json()["total"] == 2  # the finals
    finally:
        freeze_clock(None)


def test_revisions_through_the_api(client, setting):
    grant_id, grantee, staff = setting
    url = f"/api/v1/grants/{grant_id}/revisions"
    grows = client.post(url, json={"lines": [{"category": "staff", "budget_usd": "99999"}], "reason": "More."},
                        headers=grantee)
    assert grows.status_code == 422 and "lines" in grows.get_json()["errors"]
    assert client.post(url, json={"end_date": "2028-13-01", "reason": "x"}, headers=grantee).status_code == 422
    assert client.post(url, json={"end_date": "2028-12-31"}, headers=grantee).get_json()["errors"]["reason"]
    created = client.post(url, json={"end_date": "2028-12-31", "reason": "Delay.",
                                     "lines": [{"category": "staff", "budget_usd": "50000.00"}]}, headers=grantee)
    assert created.status_code == 201 and created.get_json()["status"] == "pending"
    revision_id = created.get_json()["id"]
    assert client.post(url, json={"end_date": "2029-01-31", "reason": "Again."}, headers=grantee).status_code == 409
    assert client.get("/api/v1/revisions?status=pending", headers=staff).get_json()["total"] == 1
    assert client.get("/api/v1/revisions", headers=grantee).get_json()["total"] == 1
    assert client.get("/api/v1/revisions", headers=bearer(client, make_user("applicant"))).get_json()["total"] == 0
    assert client.get("/api/v1/revisions", headers=bearer(client, make_user("donor"))).status_code == 403
    decide = f"/api/v1/revisions/{revision_id}/decision"
    assert client.post(decide, json={"decision": "approved"}, headers=grantee).status_code == 403
    assert client.post(decide, json={"decision": "perhaps"}, headers=staff).status_code == 422
    decided = client.post(decide, json={"decision": "approved"}, headers=staff)
    assert decided.status_code == 200 and decided.get_json()["previous_end_date"] == "2028-06-30"
    assert client.post(decide, json={"decision": "rejected"}, headers=staff).status_code == 409
    finals = client.get(f"/api/v1/reports?grant_id={grant_id}", headers=staff).get_json()["items"][-2:]
    assert {item["due_date"] for item in finals} == {"2029-03-01"}


def test_unknown_objects_are_404(client, setting):
    _grant_id, grantee, staff = setting
    assert client.post("/api/v1/reports/999/review", json={"decision": "accepted"}, headers=staff).status_code == 404
    assert client.post("/api/v1/revisions/999/decision", json={"decision": "approved"},
                       headers=staff).status_code == 404
    assert _file(client, 999, grantee).status_code == 404
    db.session.rollback()
