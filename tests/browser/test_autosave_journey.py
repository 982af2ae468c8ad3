"""A draft saves itself while the applicant types (issue 18, point 4): "Saved at …" shows
and is announced, the text is there after a reload, a lost connection is retried, and an
expired session keeps the text for after signing in again. The page passes axe meanwhile."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.accessibility import PHONE, axe_violations, overflows_horizontally
from tests.browser.test_proposal_journey import sign_in
from tests.factories import PASSWORD, CallFactory, make_user
from unscar.audit.models import AuditEvent
from unscar.extensions import db
from unscar.proposals import services
from unscar.proposals.models import Proposal

SAVED = re.compile(r"^Saved at \d")


@pytest.fixture
def axe_page(browser, live_server):
    """A page whose context lets axe be injected (the CSP forbids it otherwise)."""
    context = browser.new_context(base_url=live_server, bypass_csp=True)
    yield context.new_page()
    context.close()


def _draft(live_app):
    with live_app.app_context():
        applicant = make_user("applicant")
        proposal = services.create_proposal(applicant, CallFactory(), {"title": "First title"})
        db.session.commit()
        return applicant.email, proposal.id


def _stored(live_app, proposal_id):
    with live_app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "proposal.updated",
                                                             AuditEvent.object_id == proposal_id)).all()
        return proposal.title, proposal.objectives, len(events)


def test_a_draft_saves_itself_while_the_applicant_types(axe_page, live_app):
    page = axe_page
    email, proposal_id = _draft(live_app)
    sign_in(page, email)
    page.goto(f"/proposals/{proposal_id}/edit/summary")
    status = page.get_by_role("status")
    expect(status).to_have_attribute("aria-live", "polite")

    title = page.get_by_label("Title")
    title.fill("")
    title.press_sequentially("Licensing officers trained", delay=20)
    expect(title).to_be_focused()  # saved on a pause in typing, not on leaving the field
    expect(status).to_have_text(SAVED)
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    assert not overflows_horizontally(page)

    page.get_by_label("Objectives").fill("Licensing decisions apply ATT article 7.")
    with page.expect_response(lambda response: response.url.endswith("/autosave")
                              and "article" in (response.request.post_data or "")) as answer:
        page.keyboard.press("Tab")  # leaving the field saves at once
    assert answer.value.status == 200
    expect(status).to_have_text(SAVED)
    assert _stored(live_app, proposal_id) == ("Licensing officers trained",
                                              "Licensing decisions apply ATT article 7.", 1)  # one audit event

    page.reload()
    expect(page.get_by_label("Title")).to_have_value("Licensing officers trained")
    expect(page.get_by_label("Objectives")).to_have_value("Licensing decisions apply ATT article 7.")
    expect(page.get_by_role("status")).to_have_text("")


def test_a_lost_connection_is_retried(axe_page, live_app):
    page = axe_page
    email, proposal_id = _draft(live_app)
    sign_in(page, email)
    page.goto(f"/proposals/{proposal_id}/edit/summary")
    status = page.get_by_role("status")
    page.context.set_offline(True)
    page.get_by_label("Summary", exact=True).fill("Written on a train.")
    expect(status).to_have_text(re.compile(r"^Offline: not saved yet"))
    assert axe_violations(page) == []
    page.context.set_offline(False)
    expect(status).to_have_text(SAVED)
    with live_app.app_context():
        assert db.session.get(Proposal, proposal_id).summary == "Written on a train."


def test_an_expired_session_keeps_what_the_autosave_carried(axe_page, live_app):
    page = axe_page
    email, proposal_id = _draft(live_app)
    sign_in(page, email)
    url = f"/proposals/{proposal_id}/edit/summary"
    page.goto(url)
    status = page.get_by_role("status")
    page.context.clear_cookies(name="session")  # the browser keeps its stash id
    page.get_by_label("Objectives").fill("Typed after the session expired.")
    expect(status).to_have_text("Your session has expired. Sign in again: what you typed is kept. Sign in again")
    assert _stored(live_app, proposal_id)[1] == ""
    assert axe_violations(page) == []

    status.get_by_role("link", name="Sign in again").click()
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(rf"{url}\?restore="))
    expect(page.get_by_label("Objectives")).to_have_value("Typed after the session expired.")
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^What you typed before your session expired is back"))

    page.get_by_label("Objectives").press("End")
    page.get_by_label("Objectives").press_sequentially(" And more.", delay=20)
    expect(page.get_by_role("status")).to_have_text(SAVED)
    assert _stored(live_app, proposal_id)[1] == "Typed after the session expired. And more."
