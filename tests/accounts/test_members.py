"""Issue 11, finding 13: only the organisation's first user invites and removes
colleagues (DESIGN.md), so no member can remove the founder and leave nobody in charge."""
import re

from sqlalchemy import select

from tests.factories import PASSWORD, make_user
from tests.helpers import bearer, post_form, web_login
from unscar.accounts.models import User
from unscar.extensions import db
from unscar.outbox.models import OutboxMessage


def _organisation_of_three():
    founder = make_user("applicant")
    colleague = make_user("applicant", organisation=founder.organisation)
    other = make_user("applicant", organisation=founder.organisation)
    return founder, colleague, other


def test_a_colleague_cannot_remove_the_founder_nor_anyone_else(client):
    founder, colleague, other = _organisation_of_three()
    headers = bearer(client, colleague)
    url = f"/api/v1/organisations/{founder.organisation_id}/members"

    assert client.delete(f"{url}/{founder.id}", headers=headers).status_code == 403
    assert client.delete(f"{url}/{other.id}", headers=headers).status_code == 403
    assert client.post(url, json={"email": "x@example.org", "name": "X"}, headers=headers).status_code == 403
    db.session.expire_all()
    assert founder.active and founder.organisation_id is not None


def test_the_founder_removes_colleagues_whose_sessions_and_tokens_end(app, client):
    founder, colleague, _other = _organisation_of_three()
    colleague_headers = bearer(client, colleague)
    browser = app.test_client()
    web_login(browser, colleague.email)

    response = client.delete(f"/api/v1/organisations/{founder.organisation_id}/members/{colleague.id}",
                             headers=bearer(client, founder))

    assert response.status_code == 204
    assert client.get("/api/v1/me", headers=colleague_headers).status_code == 401
    assert browser.get("/password/change").status_code == 302


def test_a_colleague_may_leave_and_the_founder_stays_in_charge(client):
    founder, colleague, _other = _organisation_of_three()
    url = f"/api/v1/organisations/{founder.organisation_id}/members"
    assert client.delete(f"{url}/{colleague.id}", headers=bearer(client, colleague)).status_code == 204


def test_the_organisation_page_offers_removal_and_invitation_to_the_founder_only(client):
    founder, colleague, other = _organisation_of_three()
    web_login(client, colleague.email)
    page = client.get("/organisation").get_data(as_text=True)
    assert f"/organisation/members/{founder.id}/remove" not in page
    assert f"/organisation/members/{other.id}/remove" not in page
    assert "Send the invitation" not in page and "manages the organisation" in page

    response = post_form(client, f"/organisation/members/{founder.id}/remove", {}, page="/organisation")
    follow = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "invites and removes colleagues" in follow
    assert db.session.scalar(select(User.active).where(User.id == founder.id)) is True

    post_form(client, "/logout", {}, page="/")
    web_login(client, founder.email, PASSWORD)
    page = client.get("/organisation").get_data(as_text=True)
    assert f"/organisation/members/{colleague.id}/remove" in page and "Send the invitation" in page


def test_an_invitation_is_written_in_the_colleagues_language_which_their_account_keeps(client):
    manager = make_user("applicant")
    web_login(client, manager.email)
    page = client.get("/organisation").get_data(as_text=True)
    # Offered in the inviter's language first: most colleagues read what the inviter reads.
    assert re.search(r'<option lang="en" selected value="en">English</option>', page)

    post_form(client, "/organisation", {"name": "Amina Diallo", "email": "amina@example.org", "language": "fr"})
    colleague = db.session.scalars(select(User).where(User.email == "amina@example.org")).one()
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == "amina@example.org")).one()
    assert colleague.language == "fr"
    assert mail.subject.startswith("Invitation à rejoindre"), mail.subject


def test_an_invitation_without_a_language_is_in_the_inviters_and_an_unknown_one_is_refused(client):
    manager = make_user("applicant", language="es")
    headers = bearer(client, manager)
    url = f"/api/v1/organisations/{manager.organisation_id}/members"
    response = client.post(url, json={"email": "li@example.org", "name": "Li Wei", "language": "zh"}, headers=headers)
    assert response.status_code == 201
    chinese = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == "li@example.org")).one()
    assert "受邀" in chinese.subject, chinese.subject

    assert client.post(url, json={"email": "kim@example.org", "name": "Kim"}, headers=headers).status_code == 201
    spanish = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == "kim@example.org")).one()
    assert db.session.scalars(select(User.language).where(User.email == "kim@example.org")).one() is None
    assert "invitad" in spanish.subject, spanish.subject

    refused = client.post(url, json={"email": "x@example.org", "name": "X", "language": "de"}, headers=headers)
    assert refused.status_code == 422 and "language" in refused.get_json()["errors"]
