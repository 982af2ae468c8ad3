"""The accounts API (API.md "Accounts") for every role, allowed and refused."""
import pytest
from sqlalchemy import select

from tests.factories import PASSWORD, make_user
from tests.helpers import api_token, bearer
from unscar.accounts.models import User
from unscar.audit.models import AuditEvent
from unscar.extensions import db
from unscar.outbox.models import OutboxMessage

REGISTRATION = {
    "organisation": {"name": "Centre for Small Arms Research", "type": "research_institute",
                     "country": "GHA", "registration_number": "RG-2026-114"},
    "user": {"email": "Director@CSAR.example.org", "password": "a long enough password", "name": "Ama Mensah"},
}


def test_registration_creates_organisation_and_applicant(client):
    response = client.post("/api/v1/register", json=REGISTRATION)
    assert response.status_code == 201
    body = response.get_json()
    assert body["organisation"]["id"] and body["organisation"]["country"] == "GHA"
    assert body["organisation"]["verified"] is False
    assert body["user"]["roles"] == ["applicant"]
    assert body["user"]["email"] == "director@csar.example.org"
    token = api_token(client, "DIRECTOR@csar.example.org", "a long enough password")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert me["organisation"] == {"id": body["organisation"]["id"], "name": "Centre for Small Arms Research",
                                  "type": "research_institute", "country": "GHA"}


def test_registration_with_an_email_in_use_is_409_whatever_its_case(client):
    assert client.post("/api/v1/register", json=REGISTRATION).status_code == 201
    again = {**REGISTRATION, "user": {**REGISTRATION["user"], "email": "director@csar.EXAMPLE.org"}}
    response = client.post("/api/v1/register", json=again)
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"


@pytest.mark.parametrize("change, path", [
    ({"organisation": {**REGISTRATION["organisation"], "type": "company"}}, "organisation.type"),
    ({"organisation": {**REGISTRATION["organisation"], "country": "XXX"}}, "organisation.country"),
    ({"organisation": {**REGISTRATION["organisation"], "name": "x" * 201}}, "organisation.name"),
    ({"user": {**REGISTRATION["user"], "email": "not-an-address"}}, "user.email"),
    ({"user": {**REGISTRATION["user"], "password": "short"}}, "user.password"),
    ({"user": {**REGISTRATION["user"], "name": 42}}, "user.name"),
    ({"user": {"email": "a@example.org", "password": "long enough password"}}, "user.name"),
    ({"colour": "blue"}, "colour"),
])
def test_registration_names_the_bad_field(client, change, path):
    response = client.post("/api/v1/register", json={**REGISTRATION, **change})
    assert response.status_code == 422
    body = response.get_json()
    assert response.mimetype == "application/problem+json"
    assert set(body) >= {"type", "title", "status", "detail", "errors"}
    assert path in body["errors"], body["errors"]
    assert db.session.scalar(select(User).where(User.email == "director@csar.example.org")) is None


@pytest.mark.parametrize("data, content_type", [
    (b"{not json", "application/json"),
    (b"[1, 2]", "application/json"),
    (b'"text"', "application/json"),
    (b'{"a": NaN}', "application/json"),
    (b"\xff\xfe", "application/json"),
    (b"email=a@b.c", "application/x-www-form-urlencoded"),
])
def test_a_body_that_is_not_a_json_object_is_400(client, data, content_type):
    response = client.post("/api/v1/register", data=data, content_type=content_type)
    assert response.status_code == 400
    assert response.get_json()["status"] == 400


def test_a_body_over_one_megabyte_is_413(client):
    huge = {**REGISTRATION, "user": {**REGISTRATION["user"], "name": "x" * (1024 * 1024 + 10)}}
    response = client.post("/api/v1/register", json=huge)
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"


def test_unicode_names_are_kept(client):
    data = {"organisation": {**REGISTRATION["organisation"], "name": "Centre d'études sur les armes — 武器研究"},
            "user": {**REGISTRATION["user"], "name": "Zoë Ñúñez 李"}}
    body = client.post("/api/v1/register", json=data).get_json()
    assert body["organisation"]["name"] == "Centre d'études sur les armes — 武器研究"
    assert body["user"]["name"] == "Zoë Ñúñez 李"


def test_token_wrong_password_is_401_and_revoked_token_stops_working(client, app):
    user = make_user("reviewer")
    assert client.post("/api/v1/tokens", json={"email": user.email, "password": "wrong"}).status_code == 401
    response = client.post("/api/v1/tokens", json={"email": user.email, "password": PASSWORD})
    body = response.get_json()
    assert response.status_code == 201 and body["expires_at"].endswith("+00:00")
    headers = {"Authorization": f"Bearer {body['token']}"}
    assert client.get("/api/v1/me", headers=headers).get_json()["roles"] == ["reviewer"]
    assert client.delete("/api/v1/tokens/current", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_tokens_are_stored_hashed(client):
    user = make_user("donor")
    token = api_token(client, user.email)
    stored = db.session.execute(db.text("SELECT token_hash FROM api_tokens")).scalars().all()
    assert stored and token not in stored


def test_an_expired_token_is_401(client, app):
    from datetime import timedelta

    from unscar.dates import freeze_clock, utcnow
    user = make_user("donor")
    headers = bearer(client, user)
    freeze_clock(utcnow() + timedelta(hours=24, seconds=1))
    try:
        assert client.get("/api/v1/me", headers=headers).status_code == 401
    finally:
        freeze_clock(None)


def test_me_without_a_token_is_401(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


NEW_USER = {"email": "panel@example.org", "name": "Panel Member", "password": "a long password 1",
            "roles": ["reviewer"]}


@pytest.mark.parametrize("role, status", [
    ("admin", 201), ("secretariat", 403), ("reviewer", 403), ("donor", 403), ("applicant", 403),
])
def test_only_an_admin_creates_users(client, role, status):
    headers = bearer(client, make_user(role))
    response = client.post("/api/v1/users", json=NEW_USER, headers=headers)
    assert response.status_code == status
    if status == 201:
        assert response.get_json()["roles"] == ["reviewer"]


def test_create_user_refuses_unknown_roles_and_organisations(client):
    headers = bearer(client, make_user("admin"))
    response = client.post("/api/v1/users", json={**NEW_USER, "roles": ["king"]}, headers=headers)
    assert response.status_code == 422 and "roles.0" in response.get_json()["errors"]
    response = client.post("/api/v1/users", json={**NEW_USER, "organisation_id": 999}, headers=headers)
    assert response.status_code == 422 and "organisation_id" in response.get_json()["errors"]
    response = client.post("/api/v1/users", json={**NEW_USER, "roles": []}, headers=headers)
    assert response.status_code == 422


def test_a_member_invites_a_colleague_who_gets_an_email(client):
    member = make_user("applicant")
    headers = bearer(client, member)
    response = client.post(f"/api/v1/organisations/{member.organisation_id}/members",
                           json={"email": "Colleague@Example.org", "name": "Colleague"}, headers=headers)
    assert response.status_code == 201
    assert response.get_json()["email"] == "colleague@example.org"
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == "colleague@example.org")).one()
    assert "/invitation/" in mail.body and member.organisation.name in mail.subject


@pytest.mark.parametrize("role", ["secretariat", "reviewer", "donor", "admin"])
def test_other_roles_cannot_manage_members(client, role):
    organisation_id = make_user("applicant").organisation_id
    response = client.post(f"/api/v1/organisations/{organisation_id}/members",
                           json={"email": "x@example.org", "name": "X"}, headers=bearer(client, make_user(role)))
    assert response.status_code == 403


def test_another_organisation_is_404(client):
    outsider = make_user("applicant")
    target = make_user("applicant")
    headers = bearer(client, outsider)
    response = client.post(f"/api/v1/organisations/{target.organisation_id}/members",
                           json={"email": "x@example.org", "name": "X"}, headers=headers)
    assert response.status_code == 404
    response = client.delete(f"/api/v1/organisations/{target.organisation_id}/members/{target.id}", headers=headers)
    assert response.status_code == 404


def test_removing_members_keeps_the_last_one(client):
    first = make_user("applicant")
    second = make_user("applicant", organisation=first.organisation)
    headers = bearer(client, first)
    url = f"/api/v1/organisations/{first.organisation_id}/members"
    assert client.delete(f"{url}/{second.id}", headers=headers).status_code == 204
    assert client.delete(f"{url}/{first.id}", headers=headers).status_code == 409
    assert client.post("/api/v1/tokens", json={"email": second.email, "password": PASSWORD}).status_code == 401


def test_password_reset_answers_202_either_way_and_mails_only_real_accounts(client):
    user = make_user("reviewer")
    assert client.post("/api/v1/password-reset", json={"email": "nobody@example.org"}).status_code == 202
    assert client.post("/api/v1/password-reset", json={"email": user.email.upper()}).status_code == 202
    messages = db.session.scalars(select(OutboxMessage)).all()
    assert [m.to_address for m in messages] == [user.email]
    assert "/password/reset/" in messages[0].body


def test_each_change_writes_one_audit_event(client):
    client.post("/api/v1/register", json=REGISTRATION)
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions == ["organisation.registered"]


@pytest.mark.parametrize("roles", [["applicant"], ["reviewer"], ["secretariat"], ["donor"], ["admin"],
                                   ["secretariat", "donor"]])
def test_me_answers_every_role(client, roles):
    user = make_user(*roles)
    me = client.get("/api/v1/me", headers=bearer(client, user)).get_json()
    assert me["id"] == user.id and sorted(me["roles"]) == sorted(roles)
    assert (me["organisation"] is not None) == ("applicant" in roles)


@pytest.mark.parametrize("method, url", [
    ("post", "/api/v1/users"), ("delete", "/api/v1/tokens/current"), ("get", "/api/v1/me"),
    ("post", "/api/v1/organisations/1/members"), ("delete", "/api/v1/organisations/1/members/1"),
])
def test_anonymous_callers_get_401(client, method, url):
    response = getattr(client, method)(url, json={})
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_a_malformed_authorization_header_is_401(client):
    for header in ("Bearer", "Bearer nonsense", "Basic dXNlcjpwYXNz", "Token abc"):
        assert client.get("/api/v1/me", headers={"Authorization": header}).status_code == 401


def test_the_api_ignores_the_session_cookie(client):
    """The API takes bearer tokens only, so a cross-site form cannot use a signed-in session."""
    from tests.helpers import web_login
    user = make_user("admin")
    web_login(client, user.email)
    assert client.get("/api/v1/me").status_code == 401
