"""The pages of issue 18's people part pass axe-core's WCAG A/AA rules at desktop and phone
width: the administrator's user list and user page, the donors' list of proposals under
review, and a decided call's history as each role sees it; and an administrator finds and
deactivates a user with the keyboard alone."""
from decimal import Decimal

from playwright.sync_api import expect

from tests.browser.accessibility import check_pages_as
from tests.browser.test_review_journey import sign_in
from tests.builders import funded, proposals_under_review
from tests.factories import OrganisationFactory, make_user
from unscar.accounts.models import User
from unscar.calls import services as calls
from unscar.decisions.recording import record_decision
from unscar.extensions import db


def _world(live_app) -> dict:
    with live_app.app_context():
        staff = make_user("secretariat")
        funded(staff=staff)
        decided, (approved, rejected) = proposals_under_review(2)
        record_decision(staff, approved, "approved", Decimal("50000.00"), "Strong national ownership.", "SPG-7")
        record_decision(staff, rejected, "rejected", None, "Not this year.", "SPG-7")
        calls.change_status(staff, decided, "decided")
        reviewing, _ = proposals_under_review(3)
        admin, donor = make_user("admin"), make_user("donor")
        target = make_user("applicant", name="Lucía Gómez", email="lucia@paz.example.org",
                           organisation=OrganisationFactory(name="Fundación Paz y Desarme"))
        for n in range(60):  # two pages of users
            make_user("reviewer", email=f"reviewer{n:02d}@example.org")
        db.session.commit()
        return {"admin": admin.email, "donor": donor.email, "staff": staff.email, "target": target.id,
                "decided": decided.id, "reviewing": reviewing.id}


def test_the_people_pages_pass_axe_at_desktop_and_phone_width(browser, live_app, live_server):
    world = _world(live_app)
    pages = {
        world["admin"]: ["/users/", "/users/?q=paz&role=applicant&active=yes", "/users/?page=2",
                         "/users/?q=nobody", f"/users/{world['target']}", "/",
                         f"/calls/{world['decided']}"],  # the staff's history, without the secretariat's panel
        world["donor"]: ["/proposals/under-review", f"/proposals/under-review?call_id={world['reviewing']}",
                         f"/calls/{world['decided']}", "/"],
        world["staff"]: ["/proposals/under-review"],
        None: [f"/calls/{world['decided']}"],
    }
    problems = check_pages_as(browser, live_server, pages)
    assert not problems, "\n".join(problems)


def test_an_administrator_finds_and_deactivates_a_user_with_the_keyboard(browser, live_app, live_server):
    world = _world(live_app)
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    sign_in(page, world["admin"])
    page.goto("/users/")
    page.get_by_label("Name or e-mail").focus()
    page.keyboard.type("gómez")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("user-count")).to_contain_text("1 user matches")
    link = page.get_by_role("link", name="Lucía Gómez")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lucía Gómez")
    button = page.get_by_role("button", name="Deactivate the account")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Lucía Gómez is deactivated")).to_be_visible()
    expect(page.get_by_test_id("account-state")).to_have_text("Deactivated: cannot sign in")
    context.close()
    with live_app.app_context():
        assert not db.session.get(User, world["target"]).active
