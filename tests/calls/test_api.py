"""The calls API (API.md "Calls for proposals") for every role, allowed and refused."""
import io
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.bodies import call_json
from tests.factories import CallFactory, make_user
from tests.helpers import bearer
from unscar.audit.models import AuditEvent
from unscar.calls.models import Call, CallStatus
from unscar.dates import freeze_clock, utcnow
from unscar.extensions import db

ROLES = ["applicant", "reviewer", "donor", "secretariat", "admin"]


def headers_for(client, role):
    return {} if role == "anonymous" else bearer(client, make_user(role))


def titles(response):
    return [item["title"] for item in response.get_json()["items"]]


@pytest.fixture
def calls(app):
    """One call in each state, open ones with different deadlines."""
    return {
        "draft": CallFactory(draft=True, title="Draft call"),
        "open_late": CallFactory(title="Open, closing late", closes_at=utcnow() + timedelta(days=60)),
        "open_soon": CallFactory(title="Open, closing soon", closes_at=utcnow() + timedelta(days=3)),
        "closed": CallFactory(closed=True, title="Closed call"),
        "in_review": CallFactory(in_review=True, title="Call in review"),
        "decided": CallFactory(decided=True, title="Decided call"),
        "archived": CallFactory(archived=True, title="Archived call"),
    }


# --- who may do what -----------------------------------------------------------------

@pytest.mark.parametrize("role, sees_drafts", [("anonymous", False), ("applicant", False), ("reviewer", False),
                                               ("donor", False), ("secretariat", True), ("admin", True)])
def test_who_sees_a_draft(client, calls, role, sees_drafts):
    headers = headers_for(client, role)
    draft = client.get(f"/api/v1/calls/{calls['draft'].id}", headers=headers)
    assert draft.status_code == (200 if sees_drafts else 404)
    assert client.get(f"/api/v1/calls/{calls['open_soon'].id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/calls/{calls['archived'].id}", headers=headers).status_code == 200
    listed = titles(client.get("/api/v1/calls?status=draft", headers=headers))
    assert listed == (["Draft call"] if sees_drafts else [])


@pytest.mark.parametrize("role, status", [("anonymous", 401), ("applicant", 403), ("reviewer", 403),
                                          ("donor", 403), ("admin", 403), ("secretariat", None)])
def test_only_the_secretariat_writes(client, calls, role, status):
    headers = headers_for(client, role)
    draft_id = calls["draft"].id
    answers = [
        (client.post("/api/v1/calls", json=call_json(), headers=headers), 201),
        (client.patch(f"/api/v1/calls/{draft_id}", json={"title": "Renamed"}, headers=headers), 200),
        (client.post(f"/api/v1/calls/{draft_id}/status", json={"status": "open"}, headers=headers), 200),
        # 403 comes before the look-up: an unknown id answers the same.
        (client.patch("/api/v1/calls/99999", json={"title": "x"}, headers=headers), 404),
        (client.post("/api/v1/calls/99999/status", json={"status": "open"}, headers=headers), 404),
    ]
    for response, allowed in answers:
        assert response.status_code == (status or allowed), response.get_json()
        if status:
            assert response.mimetype == "application/problem+json"
    if status:
        assert db.session.scalar(select(func.count()).select_from(Call)) == len(calls)
        assert db.session.get(Call, draft_id).status == CallStatus.draft


# --- listing -----------------------------------------------------------------------

def test_anonymous_callers_get_the_open_calls_soonest_deadline_first(client, calls):
    body = client.get("/api/v1/calls").get_json()
    assert [i["title"] for i in body["items"]] == ["Open, closing soon", "Open, closing late"]
    assert (body["page"], body["per_page"], body["total"]) == (1, 50, 2)


@pytest.mark.parametrize("status, title", [("closed", "Closed call"), ("in_review", "Call in review"),
                                           ("decided", "Decided call"), ("archived", "Archived call")])
def test_anonymous_callers_may_ask_for_another_state(client, calls, status, title):
    assert titles(client.get(f"/api/v1/calls?status={status}")) == [title]


@pytest.mark.parametrize("role", ["applicant", "reviewer", "donor", "secretariat", "admin"])
def test_signed_in_users_get_every_call_they_may_see_open_first(client, calls, role):
    listed = titles(client.get("/api/v1/calls", headers=headers_for(client, role)))
    expected = ["Open, closing soon", "Open, closing late", "Closed call", "Call in review", "Decided call",
                "Archived call"]
    if role in ("secretariat", "admin"):
        expected.insert(2, "Draft call")  # draft closes in 30 days: the latest of the others
    assert listed == expected


def test_the_list_is_paginated_in_a_stable_order(client, calls):
    headers = headers_for(client, "secretariat")
    pages = [client.get(f"/api/v1/calls?per_page=3&page={n}", headers=headers).get_json() for n in (1, 2, 3)]
    ids = [item["id"] for page in pages for item in page["items"]]
    assert len(ids) == len(set(ids)) == 7 and pages[0]["total"] == 7 and len(pages[2]["items"]) == 1


@pytest.mark.parametrize("query", ["status=cancelled", "status=OPEN", "per_page=101", "per_page=0", "page=0",
                                   "page=x", "colour=red"])
def test_bad_list_parameters_are_422(client, calls, query):
    response = client.get(f"/api/v1/calls?{query}")
    assert response.status_code == 422 and response.mimetype == "application/problem+json"


def test_an_invalid_token_is_401_even_where_anonymous_callers_are_welcome(client, calls):
    assert client.get("/api/v1/calls", headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_money_is_two_decimal_strings_and_datetimes_carry_an_offset(client, calls):
    body = client.get(f"/api/v1/calls/{calls['open_soon'].id}").get_json()
    assert body["envelope_usd"] == "1500000.00" and body["max_budget_usd"] == "200000.00"
    assert body["closes_at"].endswith("+00:00") and body["status"] == "open"
    assert [(c["name"], c["weight"]) for c in body["criteria"]] == [("Impact", 60), ("Value for money", 40)]
    assert all(isinstance(c["id"], int) for c in body["criteria"])
    assert body["accepts_submissions"] is True and body["closed_for_submissions"] is False


def test_an_open_call_past_its_deadline_says_closed_for_submissions(client, calls):
    freeze_clock(calls["open_soon"].closes_at + timedelta(minutes=1))
    try:
        body = client.get(f"/api/v1/calls/{calls['open_soon'].id}").get_json()
    finally:
        freeze_clock(None)
    assert body["status"] == "open" and body["closed_for_submissions"] is True
    assert body["accepts_submissions"] is False


# --- creating ------------------------------------------------------------------------

def test_the_secretariat_creates_a_draft_call(client):
    response = client.post("/api/v1/calls", json=call_json(), headers=headers_for(client, "secretariat"))
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "draft" and body["id"]
    assert body["min_budget_usd"] == "50000.00" and body["indirect_cap_pct"] == 7 and body["scale_max"] == 5
    assert [(c["name"], c["weight"]) for c in body["criteria"]] == [("Impact", 60), ("Value for money", 40.5)]
    assert body["eligible_countries"] == ["KEN", "GHA"] and body["blind_review"] is True
    assert db.session.scalars(select(AuditEvent.action)).all()[-1] == "call.created"


def _bad(path_value):
    path, value = path_value
    body = call_json()
    if "." in path:
        name, index, sub = path.split(".")
        body[name][int(index)][sub] = value
    else:
        body[path] = value
    return body


@pytest.mark.parametrize("path, value", [
    ("title", "x" * 201),
    ("title", ""),
    ("title", 42),
    ("year", "2026"),
    ("year", 1999),
    ("description", "x" * 20_001),
    ("opens_at", "2026-07-01T00:00:00"),
    ("closes_at", "31/07/2026"),
    ("envelope_usd", "-5.00"),
    ("envelope_usd", -5),
    ("envelope_usd", "100.005"),
    ("min_budget_usd", 10.125),
    ("max_budget_usd", "NaN"),
    ("max_budget_usd", "1000000000.00"),
    ("max_budget_usd", True),
    ("min_duration_months", 12.5),
    ("max_duration_months", 0),
    ("indirect_cap_pct", 101),
    ("eligible_applicant_types", ["company"]),
    ("eligible_applicant_types", []),
    ("eligible_countries", ["XXX"]),
    ("eligible_regions", ["Antarctica"]),
    ("themes", ["space"]),
    ("instruments", ["nato"]),
    ("blind_review", "perhaps"),
    ("reviewers_per_proposal", 0),
    ("scale_max", 1),
    ("criteria", []),
    ("criteria", "Impact"),
    ("criteria.0.weight", 0),
    ("criteria.0.weight", -2),
    ("criteria.0.weight", 1.234),
    ("criteria.0.weight", "heavy"),
    ("criteria.0.name", ""),
    ("criteria.0.name", "x" * 201),
    ("criteria.1.guidance", "x" * 2001),
    ("criteria.0.colour", "red"),
    ("colour", "blue"),
])
def test_bad_values_are_422_naming_the_field(client, path, value):
    response = client.post("/api/v1/calls", json=_bad((path, value)), headers=headers_for(client, "secretariat"))
    assert response.status_code == 422, response.get_json()
    errors = response.get_json()["errors"]
    assert any(key == path or key.startswith(f"{path}.") for key in errors), errors
    assert db.session.scalar(select(func.count()).select_from(Call)) == 0


@pytest.mark.parametrize("change, path", [
    ({"closes_at": (utcnow() - timedelta(days=1)).isoformat()}, "closes_at"),
    ({"min_budget_usd": "300000.00"}, "min_budget_usd"),
    ({"max_budget_usd": "5000000.00"}, "max_budget_usd"),
    ({"min_duration_months": 36}, "min_duration_months"),
    ({"review_closes_at": utcnow().isoformat()}, "review_closes_at"),
])
def test_values_that_contradict_each_other_are_422(client, change, path):
    response = client.post("/api/v1/calls", json=call_json(**change), headers=headers_for(client, "secretariat"))
    assert response.status_code == 422 and path in response.get_json()["errors"]


@pytest.mark.parametrize("field", ["title", "opens_at", "closes_at", "envelope_usd", "themes", "criteria"])
def test_missing_fields_are_422(client, field):
    body = call_json()
    del body[field]
    response = client.post("/api/v1/calls", json=body, headers=headers_for(client, "secretariat"))
    assert response.status_code == 422 and field in response.get_json()["errors"]


@pytest.mark.parametrize("data", [b"{not json", b"[]", b'{"title": NaN}'])
def test_a_body_that_is_not_a_json_object_is_400(client, data):
    response = client.post("/api/v1/calls", data=data, content_type="application/json",
                           headers=headers_for(client, "secretariat"))
    assert response.status_code == 400


def test_script_in_the_description_never_comes_back(client):
    body = call_json(description='<p>Hello<script>alert("x")</script></p><p onmouseover="x()">there</p>')
    created = client.post("/api/v1/calls", json=body, headers=headers_for(client, "secretariat")).get_json()
    assert created["description"] == "<p>Hello</p><p>there</p>"


# --- editing and moving -----------------------------------------------------------------

def test_a_draft_is_patched_in_any_field(client, calls):
    headers = headers_for(client, "secretariat")
    response = client.patch(f"/api/v1/calls/{calls['draft'].id}", headers=headers, json={
        "title": "2027 annual call", "max_budget_usd": 150000, "criteria": [{"name": "Impact", "weight": 1}]})
    assert response.status_code == 200
    body = response.get_json()
    assert body["title"] == "2027 annual call" and body["max_budget_usd"] == "150000.00"
    assert [c["name"] for c in body["criteria"]] == ["Impact"]


@pytest.mark.parametrize("change", [
    {"criteria": [{"name": "Impact", "guidance": "", "weight": 1}]},
    {"title": "Renamed"},
    {"themes": ["reporting"]},
    {"min_budget_usd": "1000.00"},
    {"opens_at": utcnow().isoformat()},
])
def test_an_open_call_refuses_other_changes_with_409(client, calls, change):
    response = client.patch(f"/api/v1/calls/{calls['open_soon'].id}", json=change,
                            headers=headers_for(client, "secretariat"))
    assert response.status_code == 409 and response.mimetype == "application/problem+json"
    assert next(iter(change)) in response.get_json()["detail"]


def test_extending_an_open_call_is_audited(client, calls):
    call = calls["open_soon"]
    new = (call.closes_at + timedelta(days=7)).isoformat()
    response = client.patch(f"/api/v1/calls/{call.id}", json={"closes_at": new, "envelope_usd": "1600000"},
                            headers=headers_for(client, "secretariat"))
    assert response.status_code == 200
    assert response.get_json()["closes_at"] == new and response.get_json()["envelope_usd"] == "1600000.00"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "calls")).one()
    assert event.action == "call.deadline_extended" and event.after["closes_at"] == new


@pytest.mark.parametrize("delta", [timedelta(days=-1), timedelta(days=-10)])
def test_moving_an_open_deadline_earlier_or_into_the_past_is_422(client, calls, delta):
    call = calls["open_soon"]
    response = client.patch(f"/api/v1/calls/{call.id}", json={"closes_at": (call.closes_at + delta).isoformat()},
                            headers=headers_for(client, "secretariat"))
    assert response.status_code == 422 and "closes_at" in response.get_json()["errors"]


def test_patch_refuses_bad_values_like_post(client, calls):
    headers = headers_for(client, "secretariat")
    url = f"/api/v1/calls/{calls['open_soon'].id}"
    assert client.patch(url, json={"envelope_usd": "1.001"}, headers=headers).status_code == 422
    assert client.patch(url, json={"colour": "red"}, headers=headers).status_code == 422
    assert client.patch(url, json={"closes_at": None}, headers=headers).status_code == 422


def test_the_secretariat_moves_a_call_through_every_state(client, calls):
    headers = headers_for(client, "secretariat")
    call = calls["draft"]
    url = f"/api/v1/calls/{call.id}/status"
    assert client.post(url, json={"status": "open"}, headers=headers).get_json()["status"] == "open"
    assert client.post(url, json={"status": "open"}, headers=headers).status_code == 409
    freeze_clock(call.closes_at + timedelta(seconds=1))
    try:
        headers = headers_for(client, "secretariat")  # a token of the frozen day
        for status in ("closed", "in_review", "decided", "archived"):
            response = client.post(url, json={"status": status}, headers=headers)
            assert response.status_code == 200 and response.get_json()["status"] == status
    finally:
        freeze_clock(None)


@pytest.mark.parametrize("call_key, status, words", [
    ("draft", "closed", "can only move to open"),
    ("open_soon", "draft", "can only move to closed"),
    ("closed", "decided", "can only move to in review"),
    ("archived", "open", "cannot move any further"),
])
def test_a_forbidden_transition_is_409_saying_why(client, calls, call_key, status, words):
    response = client.post(f"/api/v1/calls/{calls[call_key].id}/status", json={"status": status},
                           headers=headers_for(client, "secretariat"))
    assert response.status_code == 409 and words in response.get_json()["detail"]


def test_a_forbidden_transition_names_the_states_in_the_readers_language(client, calls):
    response = client.post(f"/api/v1/calls/{calls['draft'].id}/status", json={"status": "closed"},
                           headers={**headers_for(client, "secretariat"), "Accept-Language": "fr"})
    detail = response.get_json()["detail"].replace("\N{NO-BREAK SPACE}", " ")
    assert response.status_code == 409
    assert "« brouillon »" in detail and "« ouvert »" in detail and "« clos »" in detail, detail


def test_a_draft_past_its_deadline_does_not_open(client):
    headers = headers_for(client, "secretariat")
    past = utcnow() - timedelta(days=2)
    created = client.post("/api/v1/calls", headers=headers, json=call_json(
        opens_at=(past - timedelta(days=30)).isoformat(), closes_at=past.isoformat())).get_json()
    response = client.post(f"/api/v1/calls/{created['id']}/status", json={"status": "open"}, headers=headers)
    assert response.status_code == 409 and "closing time has passed" in response.get_json()["detail"]


@pytest.mark.parametrize("body", [{"status": "cancelled"}, {"status": 3}, {}, {"status": "open", "why": "x"}])
def test_an_unknown_status_is_422(client, calls, body):
    response = client.post(f"/api/v1/calls/{calls['draft'].id}/status", json=body,
                           headers=headers_for(client, "secretariat"))
    assert response.status_code == 422


# --- templates and the OpenAPI document -------------------------------------------------

def _docx() -> bytes:
    # A real Word package: call templates are judged by the same strict checks as proposals'.
    from tests.files import docx_bytes

    return docx_bytes()


def fetch(client, url, **kwargs):
    """GET a download and close it (a streamed file stays open until then)."""
    response = client.get(url, **kwargs)
    response.get_data()
    response.close()
    return response


def test_templates_are_uploaded_by_the_secretariat_and_downloaded_by_anyone(client, calls):
    headers = headers_for(client, "secretariat")
    url = f"/api/v1/calls/{calls['open_soon'].id}/templates"
    # One package, built once: a zip's entries carry the time they were written.
    docx = _docx()
    response = client.post(url, headers=headers, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(docx), "Budget – modèle.docx")})
    assert response.status_code == 201
    template = response.get_json()
    assert template["media_type"].endswith("wordprocessingml.document") and len(template["sha256"]) == 64
    download = fetch(client, template["url"])
    assert download.status_code == 200 and download.data == docx
    assert "filename*=UTF-8''Budget%20%E2%80%93%20mod%C3%A8le.docx" in download.headers["Content-Disposition"]
    refused = client.post(url, headers=headers, content_type="multipart/form-data",
                          data={"file": (io.BytesIO(b"#!/bin/sh\nrm -rf /"), "template.pdf")})
    assert refused.status_code == 422 and "file" in refused.get_json()["errors"]
    applicant = client.post(url, headers=headers_for(client, "applicant"), content_type="multipart/form-data",
                            data={"file": (io.BytesIO(b"%PDF-1.4"), "a.pdf")})
    assert applicant.status_code == 403


def test_a_draft_calls_templates_are_hidden_like_the_call(client, calls):
    from tests.files import pdf_bytes

    headers = headers_for(client, "secretariat")
    url = f"/api/v1/calls/{calls['draft'].id}/templates"
    template = client.post(url, headers=headers, content_type="multipart/form-data",
                           data={"file": (io.BytesIO(pdf_bytes()), "guide.pdf")}).get_json()
    assert fetch(client, template["url"]).status_code == 404
    assert fetch(client, template["url"], headers=headers).status_code == 200


def test_every_calls_route_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {"get", "post"} <= set(spec["paths"]["/calls"])
    assert {"get", "patch"} <= set(spec["paths"]["/calls/{call_id}"])
    assert "post" in spec["paths"]["/calls/{call_id}/status"]
    call_in = spec["components"]["schemas"]["CallIn"]["properties"]
    assert call_in["title"]["maxLength"] == 200 and call_in["envelope_usd"]["type"] == "string"
