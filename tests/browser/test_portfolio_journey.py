"""A visitor on a phone reads the fund's portfolio: the summary paragraph, filters a
theme, opens a project; axe-core finds no accessibility violation on the pages."""
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import PHONE, axe_violations, overflows_horizontally
from unscar.extensions import db
from unscar.portfolio.history import import_history, read_rows

HISTORY = Path(__file__).resolve().parents[2] / "unscar" / "demo" / "history.csv"


@pytest.fixture
def phone(browser, live_server):
    # The site's CSP allows no inline script; axe is injected by the test, so the test's
    # page bypasses it (the application's own pages are unchanged).
    context = browser.new_context(base_url=live_server, viewport=PHONE, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_a_visitor_on_a_phone_reads_and_filters_the_portfolio(phone, live_app):
    with live_app.app_context():
        import_history(None, read_rows(HISTORY.read_text(encoding="utf-8")), 2026)
        db.session.commit()
    phone.goto("/portfolio/")
    expect(phone.get_by_test_id("summary")).to_contain_text("39 projects around the world")
    expect(phone.get_by_test_id("summary")).to_contain_text("in 2016 it financed 11 projects for about USD 1.7 million")
    assert axe_violations(phone) == []
    assert not overflows_horizontally(phone)
    phone.get_by_label("Theme").select_option("legislation")
    phone.get_by_role("button", name="Apply").click()
    expect(phone).to_have_url(re.compile(r"theme=legislation"))
    phone.get_by_role("link", name="The projects").click()
    phone.get_by_role("link", name="UNSCAR-2016-").first.click()
    expect(phone.get_by_test_id("project")).to_contain_text("Legislation")
    assert axe_violations(phone) == []
