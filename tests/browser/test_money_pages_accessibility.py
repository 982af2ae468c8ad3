"""The money pages of issue 12 (the fund, the donors, the decisions of a call, the grants
list and the applicant's decided proposal) pass axe-core's WCAG A/AA rules at desktop and
phone width, for each role that reads them."""
from decimal import Decimal

from tests.browser.accessibility import check_pages_as
from tests.builders import funded, proposals_under_review
from tests.factories import make_user
from unscar.decisions.recording import record_decision
from unscar.extensions import db


def test_the_fund_decision_and_grant_pages_pass_axe_for_each_reader(browser, live_app, live_server):
    with live_app.app_context():
        call, proposals = proposals_under_review(2)
        staff, donor_user = make_user("secretariat"), make_user("donor")
        donor = funded(staff=staff)
        record_decision(staff, proposals[0], "approved", Decimal("50000.00"), "Strong national ownership.", "SPG-7")
        db.session.commit()
        applicant = make_user("applicant", organisation=proposals[0].organisation)
        db.session.commit()
        staff_email, donor_email, applicant_email = staff.email, donor_user.email, applicant.email
        call_id, donor_id, proposal_id = call.id, donor.id, proposals[0].id

    pages = {
        staff_email: ["/funds/", "/funds/donors/", f"/funds/donors/{donor_id}", f"/reviews/calls/{call_id}/decisions",
                      "/grants/"],
        donor_email: ["/funds/", f"/funds/donors/{donor_id}", f"/reviews/calls/{call_id}/decisions", "/grants/"],
        applicant_email: ["/grants/", f"/proposals/{proposal_id}"],
    }
    problems = check_pages_as(browser, live_server, pages)
    assert not problems, "\n".join(problems)
