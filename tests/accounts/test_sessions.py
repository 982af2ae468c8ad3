"""Issue 11, finding 3: log-out, a password change and deactivation end sessions and
tokens for good; and API.md's admin calls on users (GET/PATCH /users, PATCH /me)."""
from sqlalchemy import select

from tests.factories import PASSWORD, make_user
from tests.helpers import api_token, bearer, post_form, web_login
from unscar.audit.models import AuditEvent
from unscar.extensions import db
from unscar.outbox.models import OutboxMessage

NEW_PASSWORD = "a-brand-new-password"


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _signed_in(client, cookie: str) -> bool:
    client.set_cookie("session", cookie)
    return client.get("/password/change").status_code == 200


def test_a_session_cookie_replayed_after_log_out_is_refused(app, client):
    user = make_user("applicant")
    web_login(client, user.email)
    stolen = _cookie(client)
    assert _signed_in(client, stolen)

    post_form(client, "/logout", {}, page="/")

    other = app.test_client()
    assert not _signed_in(other, stolen)


def test_log_out_in_one_browser_leaves_the_others_signed_in(app, client):
    user = make_user("applicant")
    web_login(client, user.email)
    laptop = _cookie(client)
    phone = app.test_client()
    web_login(phone, user.email)

    post_form(phone, "/logout", {}, page="/")

    assert _signed_in(app.test_client(), laptop)


def test_a_password_change_ends_the_other_sessions_and_tokens_and_tells_the_user(app, client):
    user = make_user("applicant")
    token = api_token(client, user.email)
    thief = app.test_client()
    web_login(thief, user.email)
    web_login(client, user.email)

    response = post_form(client, "/password/change", {"current_password": PASSWORD, "password": NEW_PASSWORD,
                                                      "confirm": NEW_PASSWORD})

    assert response.status_code == 302
    assert client.get("/password/change").status_code == 200  # this browser stays signed in
    assert thief.get("/password/change").status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "password_changed"))
    assert mail.to_address == user.email and "signed out" in mail.body


def test_a_password_reset_ends_every_session_and_token(app, client):
    from unscar.accounts.services import make_password_token

    user = make_user("reviewer")
    token = api_token(client, user.email)
    thief = app.test_client()
    web_login(thief, user.email)

    post_form(client, f"/password/reset/{make_password_token(user)}", {"password": NEW_PASSWORD,
                                                                       "confirm": NEW_PASSWORD})

    assert thief.get("/password/change").status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_deactivating_ends_sessions_and_tokens_for_good(app, client):
    admin_headers = bearer(client, make_user("admin"))
    user = make_user("donor")
    token = api_token(client, user.email)
    browser = app.test_client()
    web_login(browser, user.email)

    response = client.patch(f"/api/v1/users/{user.id}", json={"active": False}, headers=admin_headers)
    assert response.status_code == 200 and response.get_json()["active"] is False
    assert browser.get("/password/change").status_code == 302
    # Reactivated, the account starts afresh: nothing from before works again.
    assert client.patch(f"/api/v1/users/{user.id}", json={"active": True}, headers=admin_headers).status_code == 200
    assert browser.get("/password/change").status_code == 302
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.updated",
                                                      AuditEvent.object_id == user.id)) is not None


def test_admins_list_users_and_change_roles(client):
    headers = bearer(client, make_user("admin"))
    reviewer = make_user("reviewer", name="Rita Reviewer")
    make_user("donor")

    page = client.get("/api/v1/users?role=reviewer", headers=headers).get_json()
    assert [item["id"] for item in page["items"]] == [reviewer.id] and page["total"] == 1
    assert client.get("/api/v1/users?q=rita", headers=headers).get_json()["items"][0]["email"] == reviewer.email
    assert client.get("/api/v1/users?role=king", headers=headers).status_code == 422

    response = client.patch(f"/api/v1/users/{reviewer.id}", json={"roles": ["reviewer", "secretariat"]},
                            headers=headers)
    assert response.status_code == 200 and response.get_json()["roles"] == ["reviewer", "secretariat"]
    assert client.patch(f"/api/v1/users/{reviewer.id}", json={"active": "no"}, headers=headers).status_code == 422
    assert client.patch("/api/v1/users/999999", json={"active": False}, headers=headers).status_code == 404


def test_only_admins_manage_users(client):
    headers = bearer(client, make_user("secretariat"))
    target = make_user("admin")
    assert client.get("/api/v1/users", headers=headers).status_code == 403
    assert client.patch(f"/api/v1/users/{target.id}", json={"active": False}, headers=headers).status_code == 403
    assert client.post(f"/api/v1/users/{target.id}/password-reset", headers=headers).status_code == 403


def test_an_admin_reset_mails_the_link_and_never_returns_it(client):
    headers = bearer(client, make_user("admin"))
    user = make_user("secretariat")

    response = client.post(f"/api/v1/users/{user.id}/password-reset", headers=headers)

    assert response.status_code == 202 and response.get_data() == b""
    mail = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "password_reset"))
    assert mail.to_address == user.email and "/password/reset/" in mail.body


def test_patch_me_changes_name_language_and_time_zone(client):
    user = make_user("reviewer")
    headers = bearer(client, user)

    response = client.patch("/api/v1/me", json={"name": "Ana", "language": "fr", "timezone": "Africa/Nairobi"},
                            headers=headers)

    assert response.status_code == 200 and response.get_json()["name"] == "Ana"
    db.session.refresh(user)
    assert (user.language, user.timezone) == ("fr", "Africa/Nairobi")
    for bad in ({"language": "xx"}, {"timezone": "Mars/Olympus"}, {"name": "A\nB"}, {"roles": ["admin"]}):
        assert client.patch("/api/v1/me", json=bad, headers=headers).status_code == 422, bad
