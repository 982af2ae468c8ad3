"""Nothing typed is lost: a post after the session expired or the user signed out is kept
and shown again to who may edit it, and only then."""

from sqlalchemy import func, select

from tests.factories import PASSWORD, make_user
from tests.helpers import csrf_from, post_form, web_login
from tests.proposals.pages import html, make_proposal, stored
from unscar.extensions import db
from unscar.stash import StashedForm


# --- nothing typed is lost (issue point 2) --------------------------------------------------

def test_a_post_after_the_session_expired_is_shown_again_after_log_in(app, applicant, call):
    client = app.test_client()
    web_login(client, applicant.email)
    proposal_id = make_proposal(applicant, call, complete=False)
    url = f"/proposals/{proposal_id}/edit/summary"
    token = csrf_from(html(client.get(url)))
    client.delete_cookie("session")
    long_text = "Objectives that took an hour to write. " * 500
    response = client.post(url, data={"csrf_token": token, "title": "Typed title", "objectives": long_text})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    stash = db.session.scalar(select(StashedForm))
    assert stash.path == url and ["csrf_token", token] not in stash.fields

    after_login = post_form(client, response.headers["Location"], {"email": applicant.email, "password": PASSWORD})
    assert after_login.headers["Location"] == f"{url}?restore={stash.token}"
    page = html(client.get(after_login.headers["Location"]))
    assert "Your session had expired; check and save again." in page
    assert 'value="Typed title"' in page and long_text.strip() in page
    assert stored(proposal_id).title == ""
    assert db.session.scalar(select(func.count()).select_from(StashedForm)) == 0  # used once

    post_form(client, url, {"title": "Typed title", "objectives": long_text})
    assert stored(proposal_id).title == "Typed title"


def test_a_post_after_signing_out_elsewhere_is_kept_too(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call, complete=False)
    url = f"/proposals/{proposal_id}/budget"
    token = csrf_from(html(signed_in.get(url)))
    post_form(signed_in, "/logout", {}, page="/")
    response = signed_in.post(url, data={"csrf_token": token, "lines-0-description": "Flights to Nairobi"})
    assert response.headers["Location"].startswith("/login?next=")
    web_login(signed_in, applicant.email)
    stash = db.session.scalar(select(StashedForm))
    page = html(signed_in.get(f"{url}?restore={stash.token}"))
    assert 'value="Flights to Nairobi"' in page and "check and save again" in page


def test_a_kept_post_is_only_shown_to_who_may_edit_it(app, applicant, call):
    proposal_id = make_proposal(applicant, call, complete=False)
    anonymous = app.test_client()
    token = csrf_from(html(anonymous.get("/login")))
    anonymous.post(f"/proposals/{proposal_id}/edit/summary", data={"csrf_token": token, "title": "Secret"})
    stash = db.session.scalar(select(StashedForm))
    stranger = app.test_client()
    web_login(stranger, make_user("applicant").email)
    assert stranger.get(f"/proposals/{proposal_id}/edit/summary?restore={stash.token}").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(StashedForm)) == 1  # still there for its owner
    owner = app.test_client()
    web_login(owner, applicant.email)
    other_page = owner.get(f"/proposals/{proposal_id}/edit/plan?restore={stash.token}")
    assert "Secret" not in html(other_page)  # a stash belongs to the page it was posted to


def test_log_in_and_other_forms_are_never_kept(app, applicant):
    client = app.test_client()
    client.get("/login")
    client.delete_cookie("session")
    response = client.post("/login", data={"csrf_token": "stale", "email": applicant.email, "password": "x"})
    assert response.status_code in (302, 400)
    assert db.session.scalar(select(func.count()).select_from(StashedForm)) == 0
