"""The secretariat publishes a call; an anonymous visitor in Tokyo finds it with the right deadline."""
import re
from datetime import timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from tests.factories import PASSWORD, make_user
from unscar.calls.models import Call, CallStatus
from unscar.dates import utcnow
from unscar.extensions import db

TITLE = "Ammunition management in the Pacific"


def sign_in(page, email):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def create_call(page, year: int):
    page.get_by_role("link", name="Create a call").first.click()
    expect(page).to_have_url(re.compile(r"/calls/new$"))
    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Year").fill(str(year))
    page.get_by_label("Times are in the time zone").select_option("UTC")
    page.get_by_label("Opens at").fill((utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Closes at").fill(f"{year}-07-31T23:59")
    page.get_by_label("Envelope (USD available)").fill("800000")
    page.get_by_label("Minimum budget per proposal (USD)").fill("25000")
    page.get_by_label("Maximum budget per proposal (USD)").fill("150000.00")
    page.get_by_label("Minimum duration (months)").fill("12")
    page.get_by_label("Maximum duration (months)").fill("24")
    page.get_by_label("Description", exact=True).fill("<p>Safer <strong>ammunition</strong> stockpiles in Pacific States.</p>")
    page.get_by_label("Guidelines for applicants", exact=True).fill("<p>Use the budget template.</p>")
    page.get_by_label("Oceania").check()
    page.get_by_label("Stockpile management").check()
    page.get_by_label("Programme of Action on small arms (PoA)").check()
    for index, (name, weight) in enumerate([("Impact", "50"), ("Sustainability", "30"), ("Value for money", "10")]):
        page.locator(f'[name="criteria-{index}-name"]').fill(name)
        page.locator(f'[name="criteria-{index}-weight"]').fill(weight)
    page.get_by_role("button", name="Add a criterion").click()  # a fourth row, added by the page's script
    page.locator('[name="criteria-3-name"]').fill("Gender equality")
    page.locator('[name="criteria-3-weight"]').fill("10")
    page.get_by_role("button", name="Save").click()


def test_secretariat_opens_a_call_that_a_visitor_in_tokyo_finds(page, browser, live_app, live_server):
    with live_app.app_context():
        secretariat = make_user("secretariat").email
    year = utcnow().year + 1

    sign_in(page, secretariat)
    create_call(page, year)
    expect(page.get_by_role("alert")).to_contain_text("The call is saved as a draft.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("button", name="Open the call").click()
    expect(page.get_by_role("alert")).to_have_text("The call is now open.")
    expect(page.get_by_role("button", name="Close the call")).to_be_visible()

    with live_app.app_context():
        call = db.session.scalars(select(Call)).one()
        assert call.status == CallStatus.open
        assert [c.name for c in call.criteria] == ["Impact", "Sustainability", "Value for money", "Gender equality"]

    visitor = browser.new_context(base_url=live_server, timezone_id="Asia/Tokyo")
    try:
        anonymous = visitor.new_page()
        anonymous.goto("/")
        anonymous.get_by_role("link", name="Find an open call").click()
        listing = anonymous.get_by_test_id(f"call-{call.id}")
        deadline = listing.locator("time")
        expect(deadline).to_have_text(f"01 Aug {year} 08:59 Asia/Tokyo")
        expect(listing).to_contain_text(f"(31 Jul {year} 23:59 UTC)")
        expect(listing.get_by_test_id("time-left")).to_contain_text("days left")

        listing.get_by_role("link", name=TITLE).click()
        expect(anonymous.get_by_test_id("deadline").locator("time")).to_have_text(f"01 Aug {year} 08:59 Asia/Tokyo")
        expect(anonymous.get_by_test_id("eligibility")).to_contain_text("any country in Oceania")
        expect(anonymous.get_by_test_id("budget")).to_contain_text("USD 25,000.00 to USD 150,000.00")
        expect(anonymous.get_by_test_id("criteria")).to_contain_text("Gender equality")
        expect(anonymous.get_by_test_id("manage")).to_have_count(0)
    finally:
        visitor.close()
