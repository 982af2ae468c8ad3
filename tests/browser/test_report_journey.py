"""A grantee files the interim financial report of its grant at phone width, and the
secretariat accepts it with a comment the grantee then reads."""
from playwright.sync_api import expect

from tests.factories import PASSWORD
from tests.grants.reporting import approved_grant
from unscar.extensions import db
from unscar.grants.models import Report, ReportKind, ReportStage, ReportStatus

PHONE = {"width": 375, "height": 740}


def sign_in(page, email):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_grantee_files_a_financial_report_and_the_secretariat_accepts_it(page, browser, live_app, live_server):
    with live_app.app_context():
        grant, grantee, staff = approved_grant()
        grant_id, grantee_email, staff_email = grant.id, grantee.email, staff.email

    page.set_viewport_size(PHONE)
    sign_in(page, grantee_email)
    page.goto(f"/grants/{grant_id}")
    page.get_by_role("link", name="File a financial report").click()
    page.get_by_label("Period from").fill("2027-01-01")
    page.get_by_label("Period to").fill("2027-10-01")
    page.get_by_label("1. Staff and other personnel").fill("12,000.00")
    page.get_by_label("5. Travel").fill("800")
    page.get_by_role("button", name="File the report").click()
    expect(page.get_by_role("alert")).to_contain_text("is filed")
    expect(page.get_by_test_id("total")).to_have_text("12,800.00")
    expect(page.get_by_test_id("status")).to_have_text("submitted")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    report_url = page.url

    staff_page = browser.new_context(base_url=live_server).new_page()
    sign_in(staff_page, staff_email)
    staff_page.get_by_role("link", name="Grants work list").first.click()
    staff_page.get_by_test_id("awaiting_review").get_by_role("link", name="Interim financial report").click()
    staff_page.get_by_label("Accept the report").check()
    staff_page.get_by_label("Comment for the grantee").fill("Clear and complete.")
    staff_page.get_by_role("button", name="Record the review").click()
    expect(staff_page.get_by_role("alert")).to_contain_text("The report is accepted")
    staff_page.context.close()

    page.goto(report_url)
    expect(page.get_by_test_id("status")).to_have_text("accepted")
    expect(page.get_by_test_id("comment")).to_contain_text("Clear and complete.")
    with live_app.app_context():
        report = db.session.scalars(db.select(Report).where(
            Report.grant_id == grant_id, Report.kind == ReportKind.financial, Report.stage == ReportStage.interim)).one()
        assert report.status is ReportStatus.accepted
