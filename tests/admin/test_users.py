"""The administrator's user pages: find a user by name or e-mail, role and state; change
roles; deactivate (which ends every session and token at once) and reactivate; mail a
password reset whose link is never shown. The pages call the API's services, so both
refuse an administrator's own lock-out alike, and every change is audited."""
import lxml.html
import pytest
from sqlalchemy import delete, select

from tests.factories import OrganisationFactory, make_user
from tests.helpers import bearer, csrf_from, post_form, web_login
from unscar.accounts import admin as accounts_admin
from unscar.accounts.models import User, UserRole
from unscar.audit.models import AuditEvent
from unscar.errors import PermissionDenied
from unscar.extensions import db
from unscar.outbox.models import OutboxMessage
from unscar.vocabulary import Role


@pytest.fixture
def admin_client(app):
    admin = make_user("admin", name="Ada Admin", email="ada@unscar.example.org")
    db.session.commit()
    client = app.test_client()
    web_login(client, admin.email)
    client.admin = admin
    return client


def listed(client, query: str = "") -> list[str]:
    response = client.get(f"/users/{query}")
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    return [row.xpath("./td[2]")[0].text_content().strip() for row in tree.xpath('//table[@data-testid="users"]/tbody/tr')]


def test_the_list_shows_roles_and_organisation_and_finds_by_name_email_role_and_state(admin_client):
    organisation = OrganisationFactory(name="Fundación Paz")
    make_user("applicant", name="Lucía Gómez", email="lucia@paz.example.org", organisation=organisation)
    make_user("reviewer", "donor", name="Kofi Mensah", email="kofi@review.example.org")
    make_user("secretariat", name="Old Staff", email="old@unscar.example.org", active=False)
    db.session.commit()
    page = admin_client.get("/users/").get_data(as_text=True)
    tree = lxml.html.fromstring(page)
    kofi = tree.xpath('//tr[td[2]="kofi@review.example.org"]')[0].text_content()
    assert "Reviewer, Donor" in " ".join(kofi.split()) or "Donor, Reviewer" in " ".join(kofi.split())
    assert "Fundación Paz" in tree.xpath('//tr[td[2]="lucia@paz.example.org"]')[0].text_content()
    assert "Deactivated" in tree.xpath('//tr[td[2]="old@unscar.example.org"]')[0].text_content()
    assert listed(admin_client, "?q=GÓMEZ") == ["lucia@paz.example.org"]
    assert listed(admin_client, "?q=review.example") == ["kofi@review.example.org"]
    assert listed(admin_client, "?role=donor") == ["kofi@review.example.org"]
    assert listed(admin_client, "?active=no") == ["old@unscar.example.org"]
    assert "old@unscar.example.org" not in listed(admin_client, "?active=yes")
    # A role that does not exist filters nothing and breaks nothing.
    assert len(listed(admin_client, "?role=king&active=maybe")) == 4


def test_the_list_is_paginated_and_a_page_past_the_end_shows_the_last(admin_client):
    for n in range(55):
        make_user("reviewer", email=f"r{n:02d}@example.org")
    db.session.commit()
    assert len(listed(admin_client)) == 50
    assert len(listed(admin_client, "?page=2")) == 6
    page = admin_client.get("/users/?page=9999").get_data(as_text=True)
    assert "Page 2 of 2" in page


def test_the_list_costs_as_many_statements_for_many_users(admin_client, count_statements):
    def some_users(n):
        for _ in range(n):
            make_user("applicant")  # each with its own organisation
            make_user("donor", donor_id=None)
        db.session.commit()

    some_users(1)
    with count_statements() as few:
        listed(admin_client)
    some_users(10)
    with count_statements() as many:
        assert len(listed(admin_client)) == 23
    assert len(many) == len(few)


@pytest.mark.parametrize("role", ["applicant", "reviewer", "secretariat", "donor"])
def test_every_other_role_is_refused(app, role):
    target = make_user("reviewer")
    db.session.commit()
    client = app.test_client()
    web_login(client, make_user(role).email)
    token = csrf_from(client.get("/profile").get_data(as_text=True))
    assert client.get("/users/").status_code == 403
    assert client.get(f"/users/{target.id}").status_code == 403
    for path, data in (("roles", {"roles": "admin"}), ("active", {"active": "0"}), ("password-reset", {})):
        assert client.post(f"/users/{target.id}/{path}", data={**data, "csrf_token": token}).status_code == 403
    db.session.expire_all()
    assert target.roles == ["reviewer"] and target.active
    assert db.session.scalar(select(OutboxMessage.id)) is None


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/users/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_changing_roles_is_audited_and_a_user_needs_one(admin_client):
    target = make_user("reviewer", name="Kofi Mensah")
    db.session.commit()
    page = f"/users/{target.id}"
    response = post_form(admin_client, f"{page}/roles", {"roles": ["reviewer", "donor"]}, page=page,
                         follow_redirects=True)
    assert "The roles of Kofi Mensah are saved." in response.get_data(as_text=True)
    db.session.expire_all()
    assert sorted(target.roles) == ["donor", "reviewer"]
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "user.updated")).one()
    assert event.actor_id == admin_client.admin.id and event.before["roles"] == ["reviewer"]
    response = post_form(admin_client, f"{page}/roles", {}, page=page)
    assert response.status_code == 422 and "Give at least one role." in response.get_data(as_text=True)
    db.session.expire_all()
    assert sorted(target.roles) == ["donor", "reviewer"]


def test_deactivating_ends_sessions_and_tokens_at_once_and_reactivating_lets_them_sign_in(app, admin_client):
    target = make_user("secretariat", name="Sam Staff")
    db.session.commit()
    browser, api = app.test_client(), app.test_client()
    web_login(browser, target.email)
    headers = bearer(api, target)
    assert browser.get("/audit/").status_code == 200
    page = f"/users/{target.id}"
    response = post_form(admin_client, f"{page}/active", {"active": "0"}, page=page, follow_redirects=True)
    assert "Sam Staff is deactivated: their sessions and API tokens have ended." in response.get_data(as_text=True)
    assert browser.get("/audit/").status_code == 302  # back to the log-in page
    assert api.get("/api/v1/me", headers=headers).status_code == 401
    assert web_login(app.test_client(), target.email).status_code == 200  # the log-in page again, refused
    assert listed(admin_client, "?active=no") == [target.email]
    response = post_form(admin_client, f"{page}/active", {"active": "1"}, page=page, follow_redirects=True)
    assert "Sam Staff can sign in again." in response.get_data(as_text=True)
    assert web_login(app.test_client(), target.email).status_code == 302
    actions = db.session.scalars(select(AuditEvent.after).where(AuditEvent.action == "user.updated")
                                 .order_by(AuditEvent.id)).all()
    assert [a["active"] for a in actions] == [False, True] and actions[0]["sessions_and_tokens_ended"] == 2


def test_an_administrator_cannot_lock_themself_out(admin_client):
    me = admin_client.admin
    page = f"/users/{me.id}"
    html = admin_client.get(page).get_data(as_text=True)
    assert 'data-testid="active-form"' not in html  # no button to press
    token = csrf_from(html)
    admin_client.post(f"{page}/active", data={"active": "0", "csrf_token": token})
    response = post_form(admin_client, f"{page}/roles", {"roles": ["secretariat"]}, page=page)
    assert response.status_code == 422 and "Not for your own account." in response.get_data(as_text=True)
    db.session.expire_all()
    assert me.active and me.roles == ["admin"]
    assert admin_client.get("/users/").status_code == 200  # still an administrator
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "user.updated")) is None


def test_the_api_refuses_the_same_lock_out(app, admin_client):
    headers = bearer(app.test_client(), admin_client.admin)
    me = admin_client.admin.id
    response = app.test_client().patch(f"/api/v1/users/{me}", json={"active": False}, headers=headers)
    assert response.status_code == 422 and response.get_json()["errors"] == {"active": ["Not for your own account."]}


def test_an_administrator_demoted_meanwhile_changes_nobody(app):
    """Two administrators demoting each other at once: the second finds, once the rows are
    locked, that it is no longer an administrator, so the fund keeps one."""
    first, second = make_user("admin"), make_user("admin")
    db.session.commit()
    # `second` was loaded as an administrator; `first` has since taken the role away.
    db.session.execute(delete(UserRole).where(UserRole.user_id == second.id, UserRole.role == Role.admin))
    db.session.execute(db.insert(UserRole).values(user_id=second.id, role=Role.reviewer))
    with pytest.raises(PermissionDenied):
        accounts_admin.update_user(second, first, roles=["reviewer"])
    db.session.rollback()
    db.session.expire_all()
    assert db.session.get(User, first.id).roles == ["admin"]


def test_a_password_reset_is_mailed_and_never_shown(admin_client):
    target = make_user("reviewer", name="Kofi Mensah", email="kofi@review.example.org")
    db.session.commit()
    page = f"/users/{target.id}"
    response = post_form(admin_client, f"{page}/password-reset", {}, page=page, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "A password reset link is on its way to kofi@review.example.org" in html
    message = db.session.scalars(select(OutboxMessage)).one()
    assert message.to_address == "kofi@review.example.org" and "/password/reset/" in message.body
    assert "/password/reset/" not in html
    assert db.session.scalar(select(AuditEvent.actor_id).where(
        AuditEvent.action == "password.reset_sent_by_admin")) == admin_client.admin.id


def test_a_deactivated_account_gets_no_reset_and_is_told_why(admin_client):
    target = make_user("reviewer", active=False)
    db.session.commit()
    html = admin_client.get(f"/users/{target.id}").get_data(as_text=True)
    assert 'data-testid="reset-form"' not in html
    response = admin_client.post(f"/users/{target.id}/password-reset", data={"csrf_token": csrf_from(html)},
                                 follow_redirects=True)
    assert "The account is deactivated. Reactivate it first." in response.get_data(as_text=True)
    assert db.session.scalar(select(OutboxMessage.id)) is None


def test_an_unknown_user_is_404_and_a_form_without_its_token_changes_nothing(admin_client):
    assert admin_client.get("/users/999999").status_code == 404
    target = make_user("reviewer")
    db.session.commit()
    response = admin_client.post(f"/users/{target.id}/active", data={"active": "0"})
    assert response.status_code in (302, 400)
    db.session.expire_all()
    assert target.active
