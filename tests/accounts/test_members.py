"""Issue 11, finding 13: only the organisation's first user invites and removes
colleagues (DESIGN.md), so no member can remove the founder and leave nobody in charge."""
from sqlalchemy import select

from tests.factories import PASSWORD, make_user
from tests.helpers import bearer, post_form, web_login
from unscar.accounts.models import User
from unscar.extensions import db


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
