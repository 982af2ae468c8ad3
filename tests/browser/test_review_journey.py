"""The secretariat sets a call's panel and assigns reviewers automatically; a reviewer signs
the declaration, opens a proposal and declares a conflict, after which it is gone."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from tests.builders import proposals_under_review
from tests.factories import PASSWORD, make_user
from unscar.extensions import db
from unscar.reviews.models import Assignment, AssignmentStatus


def sign_in(page, email):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_secretariat_assigns_automatically_and_a_reviewer_declares_a_conflict(page, browser, live_app,
                                                                               live_server):
    with live_app.app_context():
        call, proposals = proposals_under_review(2)
        call.reviewers_per_proposal = 2
        staff, first, second = make_user("secretariat"), make_user("reviewer"), make_user("reviewer")
        db.session.commit()
        call_id, references = call.id, [p.reference for p in proposals]
        title, proposal_id = proposals[0].title, proposals[0].id
        staff_email, reviewer_email, reviewer_names = staff.email, first.email, (first.name, second.name)

    sign_in(page, staff_email)
    page.goto(f"/calls/{call_id}")
    page.get_by_role("link", name="Review panel").click()
    for name in reviewer_names:
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Save the panel").click()
    expect(page.get_by_role("alert")).to_have_text("The panel has 2 reviewers.")
    page.get_by_role("link", name="Assignments and progress").click()
    page.get_by_role("button", name="Assign automatically").click()
    expect(page.get_by_role("alert")).to_have_text("Created 4 assignments.")
    expect(page.get_by_test_id("total-active")).to_have_text("4")

    reviewer = browser.new_context(base_url=live_server).new_page()
    reviewer.on("dialog", lambda dialog: dialog.accept())  # the page asks before declaring a conflict
    sign_in(reviewer, reviewer_email)
    reviewer.get_by_role("link", name="My reviews").first.click()
    listing = reviewer.get_by_test_id("active-assignments")
    expect(listing.get_by_role("link", name="Sign the declaration")).to_have_count(2)
    listing.get_by_role("link", name=references[0]).click()
    expect(reviewer).to_have_url(re.compile(rf"/reviews/calls/{call_id}/declaration\?next="))
    reviewer.get_by_label("I have read the declaration and I accept it").check()
    reviewer.get_by_role("button", name="Sign the declaration").click()
    expect(reviewer.get_by_role("heading", level=1)).to_have_text(title)
    assignment_url = reviewer.url
    reviewer.get_by_test_id("conflict-form").get_by_label("Reason").fill("I sat on the applicant's board.")
    reviewer.get_by_role("button", name="Declare a conflict of interest").click()
    expect(reviewer.get_by_role("alert")).to_contain_text("You declared a conflict of interest")
    expect(listing.get_by_role("link", name=references[0])).to_have_count(0)
    expect(listing.get_by_role("link", name=references[1])).to_have_count(1)
    expect(reviewer.get_by_test_id("closed-assignments")).to_contain_text("Conflict of interest declared")
    assert reviewer.goto(assignment_url).status == 404

    with live_app.app_context():
        statuses = db.session.scalars(select(Assignment.status).where(Assignment.proposal_id == proposal_id)).all()
        assert sorted(statuses) == sorted([AssignmentStatus.active, AssignmentStatus.conflicted])
    reviewer.context.close()
