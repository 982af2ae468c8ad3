"""A donor's representative comes for its portfolio: from the home page's card to the
dashboard, filters it to what its own money paid for on one theme, follows the count to
the projects behind it and downloads them as CSV; axe-core finds no violation on the
dashboard at desktop and phone width."""
import csv
import io
import re

from playwright.sync_api import expect

from tests.browser.accessibility import check_page
from tests.browser.test_review_journey import sign_in
from tests.factories import make_user
from tests.portfolio.conftest import load_history, two_donors
from unscar.extensions import db


def test_a_donor_filters_the_dashboard_follows_a_figure_and_downloads_its_projects(browser, live_app, live_server):
    with live_app.app_context():
        load_history()
        norway, _japan, (first, second, third) = two_donors()
        user = make_user("donor", donor_id=norway.id)
        db.session.commit()
        email, donor_id = user.email, norway.id
        own = {first.proposal.reference, third.proposal.reference}
        other = second.proposal.reference

    context = browser.new_context(base_url=live_server, bypass_csp=True, accept_downloads=True)  # to inject axe
    page = context.new_page()
    sign_in(page, email)
    page.get_by_test_id("portfolio-card").get_by_role("link", name="Portfolio").click()
    expect(page.get_by_test_id("own-money")).to_contain_text("What your contributions paid for: Norway")

    page.get_by_label("Only the projects my contributions paid for").check()
    page.get_by_label("Theme").select_option("legislation")
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(rf"donor_id={donor_id}.*theme=legislation|"
                                        rf"theme=legislation.*donor_id={donor_id}"))
    expect(page.get_by_test_id("projects-link")).to_have_text("2")
    dashboard = page.url

    page.get_by_test_id("projects-link").click()
    expect(page).to_have_url(re.compile(r"/portfolio/projects\?.*theme=legislation"))
    expect(page.get_by_text("2 in this selection")).to_be_visible()
    table = page.get_by_test_id("projects")
    for reference in own:
        expect(table).to_contain_text(reference)
    expect(table).not_to_contain_text(other)

    page.goto(dashboard)
    with page.expect_download() as download:
        page.get_by_test_id("downloads").get_by_role("link", name="CSV").click()
    rows = list(csv.DictReader(io.StringIO(download.value.path().read_text(encoding="utf-8-sig"))))
    assert {row["reference"] for row in rows} == own

    problems = check_page(page, dashboard) + check_page(page, "/portfolio/")
    context.close()
    assert not problems, "\n".join(problems)
