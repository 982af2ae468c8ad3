"""The secretariat's and the reviewer's pages of issue 18 pass axe-core's WCAG A/AA rules and
fit a 375 px screen: screening, panel and assignments, ranking, audit log, outbox, profile,
the reviewer's list and review form. At phone width the review form's criteria take the
screen's width, one tap away from the top, and the ranking chart fits."""
from datetime import timedelta

from tests.browser.accessibility import PHONE, check_pages_as
from tests.browser.test_review_journey import sign_in
from tests.builders import proposals_under_review, reviewed_call
from tests.factories import CallFactory, ClarificationFactory, OrganisationFactory, ProposalFactory, make_user
from unscar.audit.services import record_event
from unscar.dates import utcnow
from unscar.extensions import db
from unscar.reviews import assigning, panels


def _world():
    """A call with a submitted proposal and an open question; a call in review with a
    reviewer's assignment to do and one submitted; a ranked call."""
    intake_call = CallFactory(title="Intake call")
    applicant = make_user("applicant", organisation=OrganisationFactory(name="Amani Peace Forum", country="KEN"))
    submitted = ProposalFactory(call=intake_call, owner=applicant, submitted=True, title="Licensing in Kenya")
    ClarificationFactory(proposal=submitted)
    review_call, proposals = proposals_under_review(2, call=CallFactory(title="Review call"))
    review_call.opens_at, review_call.closes_at = utcnow() - timedelta(days=60), utcnow() - timedelta(days=20)
    review_call.review_closes_at = utcnow() + timedelta(days=10)
    staff, reviewer = make_user("secretariat"), make_user("reviewer")
    panels.set_panel(staff, review_call, [reviewer.id])
    assignment = assigning.assign_reviewer(staff, review_call, reviewer.id, proposals[0].id)
    panels.sign_declaration(reviewer, review_call)
    record_event(staff, "call.updated", review_call, before={"title": "Old", "themes": ["legislation"]},
                 after={"title": "Review call", "themes": ["legislation", "stockpile_management"]})
    db.session.commit()
    ranked_call, _, _ = reviewed_call(3, [make_user("reviewer") for _ in range(2)], 2,
                                      marks=lambda r, p: (1 + (r + p) % 5, 1 + p % 5))
    db.session.commit()
    return {"staff": staff.email, "reviewer": reviewer.email, "proposal": submitted.id, "intake": intake_call.id,
            "review_call": review_call.id, "assignment": assignment.id, "ranked": ranked_call.id}


def test_the_secretariats_and_reviewers_pages_pass_axe_and_fit_a_phone(browser, live_app, live_server):
    with live_app.app_context():
        world = _world()
    staff_pages = [f"/screening/calls/{world['intake']}", f"/screening/proposals/{world['proposal']}",
                   f"/reviews/calls/{world['review_call']}/panel", f"/reviews/calls/{world['review_call']}/assignments",
                   f"/reviews/calls/{world['ranked']}/ranking", f"/reviews/calls/{world['ranked']}/recommendation",
                   f"/reviews/calls/{world['ranked']}/decisions", "/audit/", "/outbox/", "/profile"]
    reviewer_pages = ["/reviews/", f"/reviews/assignments/{world['assignment']}", "/profile"]
    problems = check_pages_as(browser, live_server, {world["staff"]: staff_pages, world["reviewer"]: reviewer_pages})
    assert not problems, "\n".join(problems)


def test_at_phone_width_the_review_form_and_the_ranking_chart_fit(browser, live_app, live_server):
    with live_app.app_context():
        world = _world()
    context = browser.new_context(base_url=live_server, viewport=PHONE, bypass_csp=True)  # wait_for_function evals
    page = context.new_page()
    sign_in(page, world["reviewer"])
    page.goto(f"/reviews/assignments/{world['assignment']}")
    criterion = page.get_by_test_id("review-form").locator("fieldset").first
    box = criterion.bounding_box()
    assert box["width"] > 0.8 * PHONE["width"], box  # not a narrow column
    score = criterion.get_by_role("combobox").bounding_box()
    assert score["width"] > 0.6 * PHONE["width"], score
    form = page.get_by_test_id("review-form").bounding_box()
    assert form["height"] < 2600, form
    # The proposal comes first and is long: one tap brings the form into view.
    page.get_by_test_id("jump-to-review").click()
    assert page.url.endswith("#review")
    page.wait_for_function("Math.abs(document.getElementById('review').getBoundingClientRect().top) < 100")  # smooth
    # In the side column of a laptop screen the score is not squeezed beside the comment.
    page.set_viewport_size({"width": 1024, "height": 740})
    assert not page.get_by_test_id("jump-to-review").is_visible()
    score = criterion.get_by_role("combobox").bounding_box()
    assert score["width"] > 300, score
    context.close()

    context = browser.new_context(base_url=live_server, viewport=PHONE, bypass_csp=True)  # wait_for_function evals
    page = context.new_page()
    sign_in(page, world["staff"])
    page.goto(f"/reviews/calls/{world['ranked']}/ranking")
    chart = page.get_by_test_id("scores-chart")
    chart.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('[data-testid=scores-chart]').complete")
    assert chart.bounding_box()["width"] <= PHONE["width"]
    assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")
    context.close()
