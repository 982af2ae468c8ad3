"""A reviewer scores every criterion and submits; the secretariat computes the funding
recommendation, reads why a proposal is left out, and adopts it."""
from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.test_review_journey import sign_in
from tests.builders import funded, proposals_under_review
from tests.factories import CallFactory, make_user
from unscar.extensions import db
from unscar.proposals.models import Proposal, ProposalStatus
from unscar.reviews import assigning, panels, services


def test_a_reviewer_scores_and_the_secretariat_adopts_the_recommendation(page, browser, live_app, live_server):
    with live_app.app_context():
        call, proposals = proposals_under_review(2, call=CallFactory(reviewers_per_proposal=1))
        staff, reviewer, other = make_user("secretariat"), make_user("reviewer"), make_user("reviewer")
        funded(staff=staff)  # the recommendation fits the money the fund has
        panels.set_panel(staff, call, [reviewer.id, other.id])
        created, _short = assigning.auto_assign(staff, call)
        for person in (reviewer, other):
            panels.sign_declaration(person, call)
        mine = next(a for a in created if a.reviewer_id == reviewer.id)
        theirs = next(a for a in created if a.reviewer_id == other.id)
        services.save_review(other, theirs, {c.id: 2 for c in call.criteria}, {}, "Weak plan.", "do_not_fund",
                             submit=True)
        db.session.commit()
        call_id, assignment_id = call.id, mine.id
        best, weaker = mine.proposal.reference, theirs.proposal.reference
        ids = [p.id for p in proposals]
        staff_email, reviewer_email = staff.email, reviewer.email

    reviewer_page = browser.new_context(base_url=live_server).new_page()
    sign_in(reviewer_page, reviewer_email)
    reviewer_page.goto(f"/reviews/assignments/{assignment_id}")
    reviewer_page.get_by_label("Score for Impact").select_option("5")
    reviewer_page.get_by_label("Score for Value for money").select_option("4")
    reviewer_page.get_by_label("Overall comment").fill("A strong, well-costed plan.")
    reviewer_page.get_by_label("Recommendation").select_option("fund")
    reviewer_page.get_by_role("button", name="Submit the review").click()
    expect(reviewer_page.get_by_role("alert")).to_have_text("Your review is submitted.")
    reviewer_page.context.close()

    page.on("dialog", lambda dialog: dialog.accept())  # adopting asks first
    sign_in(page, staff_email)
    page.goto(f"/calls/{call_id}")
    page.get_by_test_id("review-links").get_by_role("link", name="Recommendation").click()
    expect(page.get_by_test_id("no-recommendation")).to_be_visible()
    # Each proposal asks USD 93,321.00: an envelope of 100,000.00 fits one.
    page.get_by_label("Envelope (USD)").fill("100000")
    page.get_by_role("button", name="Compute the recommendation").click()
    expect(page.get_by_role("alert")).to_contain_text("The recommendation is computed")
    expect(page.get_by_test_id("explanation")).to_contain_text("Selected 1 of 2 proposals")
    expect(page.get_by_test_id("binding")).to_contain_text("The cap of USD 100,000.00")
    expect(page.get_by_test_id(f"selected-{best}")).to_contain_text("Under review")
    expect(page.get_by_test_id(f"left-out-{weaker}").get_by_test_id("reason")).to_contain_text(
        "Adding it would exceed the cap")

    page.get_by_role("button", name="Adopt").click()
    expect(page.get_by_role("alert")).to_contain_text("The recommendation is adopted")
    expect(page.get_by_test_id("adopted")).to_contain_text("by the secretariat")
    expect(page.get_by_test_id(f"selected-{best}").get_by_test_id("status")).to_have_text("Recommended")
    expect(page.get_by_test_id(f"left-out-{weaker}").get_by_test_id("status")).to_have_text("Not recommended")
    expect(page.get_by_role("button", name="Adopt")).to_have_count(0)

    with live_app.app_context():
        statuses = dict(db.session.execute(select(Proposal.reference, Proposal.status)
                                           .where(Proposal.id.in_(ids))).all())
        assert statuses == {best: ProposalStatus.recommended, weaker: ProposalStatus.not_recommended}
