"""Nothing typed is lost: the session expires while the applicant writes; after signing in
again the form comes back with what was typed, and saving it keeps it."""
import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.factories import PASSWORD, CallFactory, make_user
from unscar.extensions import db
from unscar.proposals import services
from unscar.proposals.models import Proposal
from unscar.stash import StashedForm

OBJECTIVES = "\n".join(f"Objective {n}: licensing officers in region {n} apply the ATT criteria." for n in range(1, 80))


def sign_in(page, email):
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_expired_session_keeps_what_was_typed(page, live_app):
    with live_app.app_context():
        applicant = make_user("applicant")
        email = applicant.email
        proposal = services.create_proposal(applicant, CallFactory(), {"title": "First title"})
        proposal_id = proposal.id
        db.session.commit()

    page.goto("/login")
    sign_in(page, email)
    # The Save button's own path, as without JavaScript; the autosave's: test_autosave_journey.py.
    page.route("**/autosave", lambda route: route.abort())
    page.goto(f"/proposals/{proposal_id}/edit/summary")
    page.get_by_label("Title").fill("A title typed before the session expired")
    page.get_by_label("Objectives").fill(OBJECTIVES)
    # The session expires while the applicant writes; the browser keeps its stash id.
    page.context.clear_cookies(name="session")
    page.get_by_role("button", name="Save draft").click()

    expect(page).to_have_url(re.compile(r"/login\?next="))
    expect(page.get_by_role("alert")).to_have_text("Your session had expired. Sign in again: what you typed is kept.")
    sign_in(page, email)
    expect(page).to_have_url(re.compile(rf"/proposals/{proposal_id}/edit/summary\?restore="))
    expect(page.get_by_text("Your session had expired; check and save again.")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("A title typed before the session expired")
    expect(page.get_by_label("Objectives")).to_have_value(OBJECTIVES)
    with live_app.app_context():
        assert db.session.get(Proposal, proposal_id).title == "First title"  # kept aside, not saved

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("alert")).to_have_text("Saved.")
    expect(page.get_by_label("Title")).to_have_value("A title typed before the session expired")
    with live_app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal.title == "A title typed before the session expired" and proposal.objectives == OBJECTIVES
        assert db.session.scalar(select(func.count()).select_from(StashedForm)) == 0
