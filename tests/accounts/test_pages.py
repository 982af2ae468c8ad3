"""The accounts pages: registration, log-in, passwords, members, staff users."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from config import DEFAULT_SECRET_KEY, TestConfig
from tests.factories import PASSWORD, make_user
from tests.helpers import csrf_from, post_form, web_login
from unscar import create_app
from unscar.accounts.models import Organisation, User
from unscar.dates import freeze_clock, utcnow
from unscar.extensions import db
from unscar.outbox.models import OutboxMessage

FORM = {"organisation_name": "Fundación Paz y Desarme", "organisation_type": "ngo", "country": "COL",
        "registration_number": "NIT 900.123", "name": "Lucía Gómez", "email": "lucia@paz.example.org",
        "password": "a long enough password", "confirm": "a long enough password"}


def _link_in_last_mail(to: str) -> str:
    message = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == to)
                                 .order_by(OutboxMessage.id.desc())).first()
    return re.search(r"http://[^\s]+", message.body).group(0).replace("http://127.0.0.1:5000", "")


def test_registering_signs_the_new_applicant_in(client):
    response = post_form(client, "/register", FORM, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Your organisation is registered" in page and "Lucía Gómez" in page
    organisation = db.session.scalars(select(Organisation)).one()
    assert (organisation.name, organisation.country) == ("Fundación Paz y Desarme", "COL")
    assert not organisation.is_verified


def test_registration_errors_keep_what_was_typed(client):
    make_user("applicant", email="lucia@paz.example.org")
    response = post_form(client, "/register", {**FORM, "email": "LUCIA@paz.example.org"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "already in use" in page and "Fundación Paz y Desarme" in page and "NIT 900.123" in page
    response = post_form(client, "/register", {**FORM, "email": "new@example.org", "password": "short",
                                               "confirm": "short"})
    assert "Use at least 10 characters" in response.get_data(as_text=True)
    assert db.session.scalar(select(Organisation).where(Organisation.name == FORM["organisation_name"])) is None


def test_a_field_in_error_says_so_to_a_screen_reader(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'aria-describedby="None"' not in page and "aria-invalid" not in page
    response = post_form(client, "/register", {**FORM, "email": "new@example.org", "password": "short",
                                               "confirm": "short"})
    page = response.get_data(as_text=True)
    field = re.search(r'<input[^>]*name="password"[^>]*>', page).group(0)
    assert 'aria-invalid="true"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field).group(1).split()
    errors = re.search(rf'<div id="{described[-1]}">(.*?)</div></div>', page, re.S).group(1)
    assert "Use at least 10 characters" in errors


def test_a_form_posted_without_its_csrf_token_is_refused(client):
    """Refused, not acted on: the post is kept for the user to check and send again."""
    user = make_user("donor")
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code in (302, 400)
    assert "Traceback" not in response.get_data(as_text=True)
    assert client.get("/password/change").status_code == 302  # still signed out


@pytest.mark.parametrize("target, expected", [
    ("/audit/", "/audit/"), ("//evil.example.com/", "/"), ("https://evil.example.com/", "/"),
])
def test_log_in_follows_only_local_next_links(client, target, expected):
    user = make_user("secretariat")
    token = csrf_from(client.get(f"/login?next={target}").get_data(as_text=True))
    response = client.post(f"/login?next={target}", data={"email": user.email, "password": PASSWORD,
                                                          "csrf_token": token})
    assert response.status_code == 302 and response.headers["Location"] == expected


def test_wrong_password_keeps_the_email_and_says_so(client):
    user = make_user("donor")
    page = web_login(client, user.email, "not it").get_data(as_text=True)
    assert "Wrong e-mail or password." in page and user.email in page


def test_log_out_ends_the_session(client):
    user = make_user("admin")
    web_login(client, user.email)
    assert client.get("/users/new").status_code == 200
    post_form(client, "/logout", {}, page="/")
    assert client.get("/users/new").status_code == 302


def test_password_change_needs_the_current_password(client):
    user = make_user("reviewer")
    web_login(client, user.email)
    response = post_form(client, "/password/change", {"current_password": "wrong", "password": "new password 2026",
                                                      "confirm": "new password 2026"})
    assert "This is not your current password." in response.get_data(as_text=True)
    response = post_form(client, "/password/change", {"current_password": PASSWORD, "password": "new password 2026",
                                                      "confirm": "new password 2026"})
    assert response.status_code == 302
    post_form(client, "/logout", {}, page="/")
    assert "Wrong e-mail" in web_login(client, user.email).get_data(as_text=True)
    assert web_login(client, user.email, "new password 2026").status_code == 302


def test_password_reset_by_mailed_link_works_once(client):
    user = make_user("donor")
    post_form(client, "/password/reset", {"email": user.email.upper()})
    link = _link_in_last_mail(user.email)
    response = post_form(client, link, {"password": "brand new password", "confirm": "brand new password"})
    assert response.status_code == 302
    assert web_login(client, user.email, "brand new password").status_code == 302
    reused = client.get(link)
    assert reused.status_code == 404 and "already been used" in reused.get_data(as_text=True)


def test_a_reset_link_expires(client):
    user = make_user("donor")
    post_form(client, "/password/reset", {"email": user.email})
    link = _link_in_last_mail(user.email)
    freeze_clock(utcnow() + timedelta(hours=1, minutes=1))
    try:
        response = client.get(link)
    finally:
        freeze_clock(None)
    assert response.status_code == 404 and "expired" in response.get_data(as_text=True)


def test_an_invited_colleague_sets_a_password_and_signs_in(client):
    member = make_user("applicant")
    web_login(client, member.email)
    post_form(client, "/organisation", {"name": "Kofi Annan", "email": "kofi@example.org"})
    page = client.get("/organisation").get_data(as_text=True)
    assert "Kofi Annan" in page and "invited" in page
    post_form(client, "/logout", {}, page="/")
    link = _link_in_last_mail("kofi@example.org")
    post_form(client, link, {"password": "kofi's password", "confirm": "kofi's password"})
    assert web_login(client, "kofi@example.org", "kofi's password").status_code == 302
    colleague = db.session.scalars(select(User).where(User.email == "kofi@example.org")).one()
    assert colleague.organisation_id == member.organisation_id and colleague.roles == ["applicant"]


def test_the_last_member_cannot_remove_themselves(client):
    member = make_user("applicant")
    web_login(client, member.email)
    response = post_form(client, f"/organisation/members/{member.id}/remove", {}, page="/organisation")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "The last member of an organisation cannot be removed." in page


@pytest.mark.parametrize("role, status", [("admin", 200), ("secretariat", 403), ("applicant", 403),
                                          ("reviewer", 403), ("donor", 403)])
def test_only_admins_open_the_new_user_page(client, role, status):
    web_login(client, make_user(role).email)
    assert client.get("/users/new").status_code == status


def test_an_admin_creates_a_secretariat_user(client):
    web_login(client, make_user("admin").email)
    post_form(client, "/users/new", {"name": "Officer", "email": "officer@unoda.example.org",
                                     "password": "officer password", "roles": ["secretariat", "donor"]})
    user = db.session.scalars(select(User).where(User.email == "officer@unoda.example.org")).one()
    assert sorted(user.roles) == ["donor", "secretariat"]


def test_the_home_page_shows_each_role_its_next_steps(client):
    assert "Register your organisation" in client.get("/").get_data(as_text=True)
    web_login(client, make_user("admin", "secretariat").email)
    page = client.get("/").get_data(as_text=True)
    assert "Create a user" in page and "Audit log" in page


def test_missing_pages_are_friendly(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Back to the home page" in response.get_data(as_text=True)


def test_the_app_refuses_the_default_secret_key_in_production(tmp_path):
    production = type("Production", (TestConfig,), {"TESTING": False, "DEBUG": False,
                                                    "SECRET_KEY": DEFAULT_SECRET_KEY,
                                                    "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(production)


def test_a_signed_in_user_sent_to_log_in_goes_on_to_the_page(client):
    user = make_user("secretariat")
    web_login(client, user.email)
    response = client.get("/login?next=/audit/")
    assert response.status_code == 302 and response.headers["Location"] == "/audit/"
    assert client.get("/login?next=//evil.example.com/").headers["Location"] == "/"
