"""Issue 11, findings 2 and 6: the outbox never shows a link that grants access, and a
name with a line break can neither inject a mail header nor hold up the queue."""
import re

import pytest
from sqlalchemy import select

from tests.factories import make_user
from tests.helpers import bearer, post_form, web_login
from tests.admin.test_outbox import mail_app, start_smtp  # noqa: F401  (fixtures)
from tests.api.catalogue import pretend_french  # noqa: F401  (fixture)
from unscar.extensions import db
from unscar.i18n import in_language_of
from unscar.outbox.models import MessageStatus, OutboxMessage
from unscar.outbox.services import queue_mail, send_due_mail

LINK = re.compile(r"http://\S+/(?:password/reset|invitation)/\S+")


def _outbox_page(client) -> str:
    staff = make_user("secretariat")
    web_login(client, staff.email)
    return client.get("/outbox/").get_data(as_text=True)


def test_the_outbox_page_shows_that_a_reset_link_was_sent_but_not_the_link(client):
    admin = make_user("admin")
    client.post("/api/v1/password-reset", json={"email": admin.email})
    [message] = db.session.scalars(select(OutboxMessage)).all()
    link = LINK.search(message.body).group(0)
    token = link.rsplit("/", 1)[1]

    page = _outbox_page(client)

    assert "Reset your UNSCAR Grants password" in page
    assert "a personal link was sent here" in page
    assert link not in page and token not in page


def test_the_outbox_page_never_shows_an_invitation_link(client):
    applicant = make_user("applicant")
    headers = bearer(client, applicant)
    client.post(f"/api/v1/organisations/{applicant.organisation_id}/members",
                json={"email": "colleague@example.org", "name": "Colleague"}, headers=headers)
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "invitation"))
    token = LINK.search(message.body).group(0).rsplit("/", 1)[1]

    page = _outbox_page(client)

    assert "You are invited to" in page and token not in page


def test_the_note_in_place_of_a_link_is_in_the_language_of_the_message(app, pretend_french):
    pretend_french({"[a personal link was sent here; it is not shown to staff]":
                    "[un lien personnel a été envoyé ici ; il n'est pas montré au personnel]"})
    user = make_user("applicant", language="fr")
    with app.test_request_context(), in_language_of(user):
        message = queue_mail(user.email, "Réinitialisez votre mot de passe", "password_reset", hidden=("link",),
                             user=user, link="http://127.0.0.1:5000/password/reset/s3cret", minutes=60)
    assert "un lien personnel a été envoyé ici" in message.display_body and "s3cret" not in message.display_body
    assert "/password/reset/s3cret" in message.body


def test_mail_queued_before_the_redaction_is_not_shown_when_it_carried_a_link(client):
    # A row written before display_body existed (the migration leaves it empty).
    db.session.add(OutboxMessage(to_address="x@example.org", subject="Reset your password",
                                 body="http://127.0.0.1:5000/password/reset/old-s3cret", kind="password_reset"))
    db.session.commit()

    page = _outbox_page(client)

    assert "old-s3cret" not in page and "it is not shown" in page


def test_other_mail_stays_readable_on_the_outbox_page(client):
    queue_mail("x@example.org", "Deadline approaching", "password_reset", user=make_user("applicant"),
               link="http://127.0.0.1:5000/proposals/7", minutes=60)
    db.session.commit()

    assert "http://127.0.0.1:5000/proposals/7" in _outbox_page(client)


# --- finding 6: line breaks in names --------------------------------------------------

@pytest.mark.parametrize("name", ["Evil\r\nBcc: victim@example.org", "Evil\nOrg", "Bad\x00name", "Tab\x0bname"])
def test_registration_refuses_control_characters_in_names(client, name):
    body = {"organisation": {"name": name, "type": "ngo", "country": "KEN"},
            "user": {"email": "new@example.org", "password": "a-long-password", "name": "Ann"}}
    response = client.post("/api/v1/register", json=body)
    assert response.status_code == 422
    assert "organisation.name" in response.get_json()["errors"]

    body["organisation"]["name"], body["user"]["name"] = "Fine Org", name
    response = client.post("/api/v1/register", json=body)
    assert response.status_code == 422 and "user.name" in response.get_json()["errors"]


def test_the_registration_page_refuses_a_line_break_in_the_organisation_name(client):
    response = post_form(client, "/register", {
        "organisation_name": "Evil\r\nBcc: victim@example.org", "organisation_type": "ngo",
        "country": "KEN", "name": "Ann", "email": "ann@example.org",
        "password": "a-long-password", "confirm": "a-long-password"})
    assert response.status_code == 200
    assert "line breaks" in response.get_data(as_text=True)


def test_an_invitation_refuses_a_colleague_name_with_a_line_break(client):
    applicant = make_user("applicant")
    response = client.post(f"/api/v1/organisations/{applicant.organisation_id}/members",
                           json={"email": "c@example.org", "name": "A\r\nB"}, headers=bearer(client, applicant))
    assert response.status_code == 422 and "name" in response.get_json()["errors"]


def test_a_line_break_that_got_in_cannot_inject_a_header(mail_app, start_smtp):  # noqa: F811
    server = start_smtp()
    app = mail_app(server.port)
    queue_mail("x@example.org", "You are invited to Evil\r\nBcc: victim@example.org", "password_reset",
               user=make_user("applicant"), link="l", minutes=60)
    db.session.commit()

    result = send_due_mail()

    [received] = server.handler.messages
    assert result.sent == 1 and received["Bcc"] is None
    assert received["Subject"] == "You are invited to Evil Bcc: victim@example.org"
    assert app is not None


def test_a_message_that_cannot_be_built_fails_at_once_and_the_rest_go_out(mail_app, start_smtp):  # noqa: F811
    server = start_smtp()
    mail_app(server.port)
    user = make_user("applicant")
    # Written straight to the table, as by code that bypasses queue_mail.
    db.session.add(OutboxMessage(to_address="bad@example.org\r\nBcc: victim@example.org", subject="s",
                                 body="b", display_body="b"))
    queue_mail(user.email, "Fine", "password_reset", user=user, link="l", minutes=60)
    db.session.commit()

    first = send_due_mail()
    second = send_due_mail()

    bad = db.session.scalar(select(OutboxMessage).where(OutboxMessage.subject == "s"))
    assert (first.sent, first.gave_up) == (1, 1) and second.sent == second.failed == 0
    assert bad.status == MessageStatus.failed and "Cannot be built" in bad.last_error
    assert [m["To"] for m in server.handler.messages] == [user.email]
