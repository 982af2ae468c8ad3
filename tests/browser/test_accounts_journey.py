"""An applicant's account, from registration to a changed password, in a real browser."""
import re

from playwright.sync_api import expect
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from tests.factories import make_user
from unscar.accounts.models import Organisation, User
from unscar.extensions import db

ORGANISATION = "Accra Forum on Small Arms"
NAME = "Ama Mensah"
EMAIL = "ama.mensah@example.org"
OLD_PASSWORD = "first-password-123"
NEW_PASSWORD = "second-password-456"


def sign_in(page, email, password):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page):
    # The sign-out button sits in the user menu, a Bootstrap dropdown.
    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("alert")).to_have_text("You are signed out.")
    expect(page.get_by_test_id("user-menu")).to_have_count(0)


def register(page):
    page.goto("/")
    page.get_by_role("link", name="Register", exact=True).click()
    expect(page).to_have_url(re.compile(r"/register$"))
    page.get_by_label("Organisation name").fill(ORGANISATION)
    page.get_by_label("Type of organisation").select_option("research_institute")
    page.get_by_label("Country").select_option("GHA")
    page.get_by_label("Legal registration number").fill("RGD-2024-117")
    page.get_by_label("Your name").fill(NAME)
    page.get_by_label("Your e-mail address").fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(OLD_PASSWORD)
    page.get_by_label("Repeat the password").fill(OLD_PASSWORD)
    page.get_by_role("button", name="Register").click()


def change_password(page, current, new):
    page.get_by_test_id("user-menu").click()
    page.get_by_role("link", name="Change password").click()
    expect(page).to_have_url(re.compile(r"/password/change$"))
    page.get_by_label("Current password").fill(current)
    page.get_by_label("New password", exact=True).fill(new)
    page.get_by_label("Repeat the new password").fill(new)
    page.get_by_role("button", name="Change password").click()


def test_applicant_registers_signs_out_and_changes_password(page, live_app, live_server):
    register(page)
    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_role("alert")).to_contain_text("Your organisation is registered.")
    expect(page.get_by_test_id("user-menu")).to_have_text(NAME)
    sign_out(page)

    sign_in(page, EMAIL, OLD_PASSWORD)
    expect(page.get_by_role("alert")).to_have_text(f"Welcome, {NAME}.")
    change_password(page, OLD_PASSWORD, NEW_PASSWORD)
    expect(page.get_by_role("alert")).to_have_text("Your password is changed.")
    sign_out(page)

    sign_in(page, EMAIL, OLD_PASSWORD)
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_text("Wrong e-mail or password.")).to_be_visible()
    expect(page.get_by_test_id("user-menu")).to_have_count(0)

    sign_in(page, EMAIL, NEW_PASSWORD)
    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_test_id("user-menu")).to_have_text(NAME)

    with live_app.app_context():
        organisations = db.session.scalars(select(Organisation).where(Organisation.name == ORGANISATION)).all()
        assert [(o.country, o.type.value) for o in organisations] == [("GHA", "research_institute")]
        user = db.session.scalar(select(User).where(User.email == EMAIL))
        assert user.organisation_id == organisations[0].id and user.roles == ["applicant"]
        assert check_password_hash(user.password_hash, NEW_PASSWORD)
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_wrong_password_keeps_the_email_typed(page, live_app):
    with live_app.app_context():
        email = make_user("applicant").email

    sign_in(page, email, "not-the-password")

    expect(page.get_by_text("Wrong e-mail or password.")).to_be_visible()
    expect(page.get_by_label("E-mail address")).to_have_value(email)
    expect(page.get_by_label("Password")).to_have_value("")
