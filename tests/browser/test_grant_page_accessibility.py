"""The grant page passes axe-core's WCAG A/AA rules at desktop and phone width, for the
secretariat (with its forms, and after a refused action) and for the grantee."""
from datetime import date
from decimal import Decimal

from playwright.sync_api import expect

from tests.browser.accessibility import check_page, axe_violations
from tests.browser.test_review_journey import sign_in
from tests.grants.given import approved_grant, grantee, spend
from unscar.extensions import db
from unscar.grants.disbursements import disburse


def test_the_grant_page_passes_axe_for_the_secretariat_and_the_grantee(browser, live_app, live_server):
    with live_app.app_context():
        grant, staff = approved_grant("10000.00")
        disburse(staff, grant, Decimal("7000.00"), date.today())
        db.session.commit()
        spend(grant, "1500.00")
        grant_id, staff_email, grantee_email = grant.id, staff.email, grantee(grant).email

    problems = []
    for email in (staff_email, grantee_email):
        context = browser.new_context(base_url=live_server, bypass_csp=True)  # to inject axe
        page = context.new_page()
        sign_in(page, email)
        problems += check_page(page, f"/grants/{grant_id}")
        if email == staff_email:  # a refused disbursement comes back with the form as typed
            page.get_by_label("Amount (USD)", exact=True).first.fill("2000")
            page.get_by_role("button", name="Record the disbursement").click()
            expect(page.get_by_role("alert").first).to_contain_text("needs a reason")
            expect(page.get_by_label("Amount (USD)", exact=True).first).to_have_value("2,000.00")
            problems += [f"after a refusal: {line}" for line in axe_violations(page)]
        context.close()
    assert not problems, "\n".join(problems)
