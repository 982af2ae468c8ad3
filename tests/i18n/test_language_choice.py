"""Which language a page is in: the account's, else the visitor's choice from the switcher,
else the browser's Accept-Language, else English; the API follows Accept-Language only."""
import re

from sqlalchemy import select

from tests.factories import make_user
from tests.helpers import bearer, csrf_from, web_login
from unscar.audit.models import AuditEvent
from unscar.extensions import db


def page_language(response) -> tuple[str, str]:
    html = re.search(r"<html lang=\"([a-z]+)\" dir=\"(ltr|rtl)\">", response.get_data(as_text=True))
    return html.group(1), html.group(2)


def choose(client, language, next_url="/calls/"):
    token = csrf_from(client.get("/").get_data(as_text=True))
    return client.post("/language", data={"language": language, "next": next_url, "csrf_token": token})


def test_a_visitor_reads_the_browsers_language_until_choosing_another(client):
    assert page_language(client.get("/", headers={"Accept-Language": "fr-CH, fr;q=0.9, en;q=0.5"})) == ("fr", "ltr")
    assert page_language(client.get("/", headers={"Accept-Language": "de, ar;q=0.8"})) == ("ar", "rtl")
    assert page_language(client.get("/", headers={"Accept-Language": "de"})) == ("en", "ltr")

    chosen = choose(client, "es")
    assert chosen.status_code == 302 and chosen.headers["Location"] == "/calls/"
    assert page_language(client.get("/", headers={"Accept-Language": "fr"})) == ("es", "ltr")


def test_the_switcher_is_on_every_page_and_names_each_language_in_itself(client):
    page = client.get("/login").get_data(as_text=True)
    for code, name in [("en", "English"), ("fr", "Français"), ("es", "Español"), ("ar", "العربية"), ("zh", "中文"),
                       ("ru", "Русский")]:
        assert re.search(rf'value="{code}" lang="{code}" dir="(ltr|rtl)"[^>]*>{name}</button>', page), code


def test_a_users_choice_is_kept_on_the_account_audited_and_beats_the_browser(client, app):
    user = make_user("applicant")
    web_login(client, user.email)
    assert choose(client, "ar").status_code == 302
    assert page_language(client.get("/", headers={"Accept-Language": "fr"})) == ("ar", "rtl")
    db.session.refresh(user)
    assert user.language == "ar"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "profile.updated")
                               .order_by(AuditEvent.id.desc())).first()
    assert event.before["language"] is None and event.after["language"] == "ar"
    # Choosing it again changes nothing and writes nothing.
    events = db.session.scalars(select(AuditEvent.id)).all()
    choose(client, "ar")
    assert db.session.scalars(select(AuditEvent.id)).all() == events


def test_the_api_follows_accept_language_only_and_keeps_its_codes(client, app):
    user = make_user("applicant")
    user.language = "ar"
    db.session.commit()
    headers = bearer(client, user)
    french = client.get("/api/v1/calls/999999", headers={**headers, "Accept-Language": "fr"})
    english = client.get("/api/v1/calls/999999", headers=headers)
    assert french.status_code == english.status_code == 404
    assert french.get_json()["status"] == 404 and set(french.get_json()) == set(english.get_json())
    assert english.get_json()["detail"] == "No such call for proposals."
    assert french.get_json()["detail"] != english.get_json()["detail"]


def test_an_unknown_language_or_a_foreign_next_is_refused(client):
    assert choose(client, "xx").status_code == 400
    assert choose(client, "fr", next_url="https://evil.example/").headers["Location"] == "/"
    assert choose(client, "fr", next_url="/\\evil.example/").headers["Location"] == "/"


def test_the_profile_writer_refuses_what_is_no_language_whatever_the_channel(app):
    import pytest

    from unscar.accounts.admin import update_me
    from unscar.errors import ValidationFailed

    user = make_user("applicant")
    with pytest.raises(ValidationFailed) as refused:
        update_me(user, {"language": "xx"})
    assert list(refused.value.errors) == ["language"] and user.language is None
