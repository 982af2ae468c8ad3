"""The beneficiary-country picker: grouped by region, and searchable where JavaScript runs
(the same page without JavaScript is tests/proposals/test_applicant_findings.py)."""
from playwright.sync_api import expect

from tests.browser.test_proposal_journey import sign_in
from tests.factories import CallFactory, ProposalFactory, make_user
from unscar.extensions import db
from unscar.proposals.models import Proposal


def test_typing_narrows_the_countries_and_the_ticks_are_saved(page, live_app):
    with live_app.app_context():
        applicant = make_user("applicant")
        proposal_id = ProposalFactory(owner=applicant, call=CallFactory(), countries=["GHA"]).id
        email = applicant.email
    sign_in(page, email)
    page.goto(f"/proposals/{proposal_id}/edit/scope")
    picker = page.locator("#countries")
    expect(picker.get_by_text("Chosen: Ghana")).to_be_visible()
    search = page.get_by_label("Find a country by name")
    search.fill("cote")  # accents ignored: Côte d'Ivoire
    expect(page.get_by_label("Côte d'Ivoire")).to_be_visible()
    expect(picker.get_by_text("1 shown.")).to_be_visible()
    expect(page.get_by_label("France", exact=True)).to_be_hidden()
    expect(picker.locator("details", has_text="Europe")).to_be_hidden()
    search.fill("Kenya")
    search.press("Enter")  # searches, never submits the form
    page.get_by_label("Kenya", exact=True).check()
    expect(picker.get_by_text("Chosen: Ghana; Kenya")).to_be_visible()
    search.fill("")
    expect(picker.locator("details", has_text="Europe")).to_be_visible()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("alert")).to_have_text("Saved.")
    with live_app.app_context():
        assert db.session.get(Proposal, proposal_id).countries == ["GHA", "KEN"]
