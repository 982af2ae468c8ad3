"""Every main journey with the keyboard alone (WCAG 2.1.1, 2.4.1, 2.4.3, 2.4.7): register,
draft and submit; screen; review; decide; report on a grant; read the portfolio.

Nothing is clicked or filled: tests.browser.keyboard presses Tab until the control a user
wants has the focus (so it can be reached, in a sensible number of stops, and shows where
the focus is), then types, uses the arrows, Space or Enter. The journeys start with the
skip link."""
import re

from playwright.sync_api import expect
from sqlalchemy import select

from tests.browser.keyboard import (activate, check_skip_link, choose, scroll_with_arrows, tab_to, tick, type_date,
                                    type_into, unfocusable_scrollers)
from tests.builders import reviewed_call
from tests.factories import PASSWORD, AssignmentFactory, CallFactory, ProposalFactory, make_user
from tests.files import pdf_bytes
from tests.grants.reporting import approved_grant
from tests.portfolio.conftest import load_history, two_donors
from unscar.dates import utcnow
from unscar.extensions import db
from unscar.proposals.models import Proposal, ProposalStatus
from unscar.reviews.models import Review

YEAR = utcnow().year + 1
NAME = "Ama Mensah"
EMAIL = "ama.mensah@example.org"
CALL = "Arms Trade Treaty implementation"
PHONE = {"width": 375, "height": 740}


def keyboard_context(browser, live_server):
    # en-US: date fields take month, day, year as typed.
    return browser.new_context(base_url=live_server, locale="en-US", timezone_id="UTC")


def link(page, name, exact=True):
    return page.get_by_role("link", name=name, exact=exact)


def button(page, name, exact=True):
    return page.get_by_role("button", name=name, exact=exact)


def alert(page):
    return page.get_by_role("alert").first


def sign_in(page, email, password=PASSWORD):
    page.goto("/login")
    type_into(page, page.get_by_label("E-mail address"), email)
    type_into(page, page.get_by_label("Password"), password)
    page.keyboard.press("Enter")  # sends the form from its last field
    expect(alert(page)).to_contain_text("Welcome")


def sign_out(page):
    activate(page, page.get_by_test_id("user-menu"))  # the Bootstrap drop-down opens on Enter
    activate(page, button(page, "Sign out"), max_presses=6)
    expect(alert(page)).to_have_text("You are signed out.")


def save_and_continue(page, next_url, saved="Saved."):
    activate(page, button(page, "Save and continue"))
    expect(alert(page)).to_contain_text(saved)
    expect(page).to_have_url(re.compile(next_url))


def register(page):
    page.goto("/")
    check_skip_link(page)
    activate(page, link(page, "Register"))
    expect(page).to_have_url(re.compile(r"/register$"))
    type_into(page, page.get_by_label("Organisation name"), "Accra Forum on Small Arms")
    choose(page, page.get_by_label("Type of organisation"), "Research institute or university")
    choose(page, page.get_by_label("Country"), "Ghana")
    type_into(page, page.get_by_label("Legal registration number"), "RGD-2024-117")
    type_into(page, page.get_by_label("Your name"), NAME)
    type_into(page, page.get_by_label("Your e-mail address"), EMAIL)
    type_into(page, page.get_by_label("Password", exact=True), "first-password-123")
    type_into(page, page.get_by_label("Repeat the password"), "first-password-123")
    activate(page, button(page, "Register"))
    expect(alert(page)).to_contain_text("Your organisation is registered.")


def write_sections(page):
    type_into(page, page.get_by_label("Title"), "Licensing officers trained on ATT criteria")
    type_into(page, page.get_by_label("Summary", exact=True), "Two national trainings.")
    page.keyboard.press("Enter")  # a new line in the text area, not a submission
    page.keyboard.type("A handbook.")
    type_into(page, page.get_by_label("Objectives"), "Licensing decisions apply ATT article 7.")
    save_and_continue(page, r"/edit/results$")

    type_into(page, page.get_by_label("Outcome 1", exact=True), "Officers apply the ATT criteria")
    type_into(page, page.get_by_label("Output 1.1", exact=True), "40 officers trained")
    type_into(page, page.get_by_label("Indicator 1.1.1", exact=True), "Officers certified")
    type_into(page, page.get_by_label("Baseline 1.1.1", exact=True), "0")
    type_into(page, page.get_by_label("Target 1.1.1", exact=True), "40")
    activate(page, button(page, "Add an indicator"))
    # The page's script puts the focus in the new row: the user types on.
    expect(page.get_by_label("Indicator 1.1.2", exact=True)).to_be_focused()
    page.keyboard.type("Share of women among them")
    save_and_continue(page, r"/edit/scope$")

    tick(page, page.get_by_label("Capacity building"))
    tick(page, page.get_by_label("Legislation (a priority of this call)"))
    tick(page, page.get_by_label("Arms Trade Treaty (ATT)"))
    # The countries' picker: its search box narrows the regions to Kenya's, then Space ticks it.
    type_into(page, page.get_by_label("Find a country by name"), "Kenya")
    tick(page, page.get_by_label("Kenya", exact=True))
    save_and_continue(page, r"/edit/plan$")

    type_date(page, page.get_by_label("Start date"), f"{YEAR}-01-01")
    type_into(page, page.get_by_label("Duration in months"), "18")
    choose(page, page.get_by_label("Language of the proposal"), "English")
    choose(page, page.get_by_label("Gender marker (OECD DAC)"), "1: gender equality is a significant objective")
    type_into(page, page.get_by_label("Risks and how they are managed"), "Elections may delay the trainings.")
    type_into(page, page.get_by_label("Sustainability"), "The academy keeps the curriculum.")
    type_into(page, page.get_by_label("Co-funding from other sources (USD)"), "5,000")
    save_and_continue(page, r"/budget$")


def fill_line(page, number, category, description, unit, quantity, unit_cost):
    choose(page, page.get_by_label(f"Category {number}", exact=True), category)
    type_into(page, page.get_by_label(f"Description {number}", exact=True), description)
    type_into(page, page.get_by_label(f"Unit {number}", exact=True), unit)
    type_into(page, page.get_by_label(f"Quantity {number}", exact=True), quantity)
    type_into(page, page.get_by_label(f"Unit cost (USD) {number}", exact=True), unit_cost)
    type_into(page, page.get_by_label(f"Year {number}", exact=True), str(YEAR))


def write_budget(page):
    fill_line(page, 1, "1. Staff and other personnel", "Project coordinator", "month", "12", "4,500")
    activate(page, button(page, "Add a line"))
    expect(page.get_by_label("Category 2", exact=True)).to_be_focused()
    fill_line(page, 2, "5. Travel", "Trainers' travel", "trip", "4", "1,000")
    # A line added by mistake is removed from the keyboard, and the focus stays in the editor.
    activate(page, button(page, "Add a line"))
    activate(page, button(page, "Remove line 3"), max_presses=12)
    expect(page.get_by_label("Category 3", exact=True)).to_have_count(0)
    expect(page.get_by_label("Category 2", exact=True)).to_be_focused()  # not lost to the top of the page
    save_and_continue(page, r"/attachments$", saved="The budget is saved")


def attach(page, tmp_path):
    pdf = tmp_path / "Work plan.pdf"
    pdf.write_bytes(pdf_bytes())
    # Playwright asks the browser to hand it the file dialog without waiting for the answer:
    # listening from before the Tabs gives that request time to arrive before Space, or a
    # busy CI machine opens the dialog before it is intercepted and the test waits in vain.
    with page.expect_file_chooser() as chooser:
        tab_to(page, page.get_by_label("File (PDF, DOCX, XLSX, PNG or JPEG)"))
        page.keyboard.press("Space")  # the browser's file dialog opens from the keyboard
    chooser.value.set_files(pdf)
    activate(page, button(page, "Upload"))
    expect(alert(page)).to_have_text("Work plan.pdf is attached.")


def test_a_new_applicant_registers_drafts_and_submits_with_the_keyboard(browser, live_app, live_server, tmp_path):
    with live_app.app_context():
        call_id = CallFactory(title=CALL).id
    context = keyboard_context(browser, live_server)
    page = context.new_page()

    register(page)
    sign_out(page)
    sign_in(page, EMAIL, "first-password-123")

    activate(page, link(page, "Calls for proposals"))
    activate(page, link(page, CALL))
    expect(page).to_have_url(re.compile(rf"/calls/{call_id}$"))
    activate(page, button(page, "Start a proposal"))
    expect(alert(page)).to_contain_text("is started as a draft")
    write_sections(page)
    write_budget(page)
    attach(page, tmp_path)

    activate(page, link(page, "Overview and checklist"), backwards=True)
    expect(page.get_by_test_id("checklist")).to_have_text("Every check passes: the proposal is ready to submit.")
    activate(page, button(page, "Submit the proposal"))
    expect(alert(page)).to_contain_text("is submitted")
    expect(page.get_by_test_id("proposal-status")).to_have_text("submitted")
    context.close()

    with live_app.app_context():
        proposal = db.session.scalar(select(Proposal))
        assert proposal.status == ProposalStatus.submitted and proposal.countries == ["KEN"]
        assert sorted(str(line.amount_usd) for line in proposal.budget_lines) == ["4000.00", "54000.00"]


def test_the_secretariat_screens_a_proposal_with_the_keyboard(browser, live_app, live_server):
    with live_app.app_context():
        proposal = ProposalFactory(submitted=True, call=CallFactory(title=CALL))
        staff_email, reference, proposal_id = make_user("secretariat").email, proposal.reference, proposal.id
    context = keyboard_context(browser, live_server)
    page = context.new_page()
    sign_in(page, staff_email)
    check_skip_link(page)

    activate(page, link(page, "Intake"))
    activate(page, link(page, CALL))
    activate(page, link(page, reference))
    expect(page).to_have_url(re.compile(rf"/screening/proposals/{proposal_id}$"))
    # Screened out without a reason: the page comes back with the focus on what to fix.
    tab_to(page, page.get_by_label("Eligible: goes to review"), max_presses=100)
    page.keyboard.press("ArrowDown")  # the arrows move through the radio group
    expect(page.get_by_label("Ineligible: screened out")).to_be_checked()
    activate(page, button(page, "Record the decision"), max_presses=5)
    expect(page.get_by_text("Give the reason for screening the proposal out")).to_be_visible()
    expect(page.get_by_label("Reason (sent to the applicant;")).to_be_focused()
    page.keyboard.type("The organisation fits the call.")
    tab_to(page, page.get_by_label("Ineligible: screened out"), backwards=True, max_presses=5)
    page.keyboard.press("ArrowUp")
    expect(page.get_by_label("Eligible: goes to review")).to_be_checked()
    activate(page, button(page, "Record the decision"), max_presses=5)
    expect(alert(page)).to_contain_text(f"{reference} is under review")
    expect(page.get_by_test_id("proposal-status")).to_have_text("under review")
    context.close()


def test_a_reviewer_signs_the_declaration_and_submits_a_review_with_the_keyboard(browser, live_app, live_server):
    with live_app.app_context():
        assignment = AssignmentFactory(proposal=ProposalFactory(under_review=True, call=CallFactory(title=CALL)))
        reviewer_email, reference, assignment_id = (assignment.reviewer.email, assignment.proposal.reference,
                                                    assignment.id)
    context = keyboard_context(browser, live_server)
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # Enter on a native confirmation
    sign_in(page, reviewer_email)
    check_skip_link(page)

    activate(page, link(page, "My reviews"))
    expect(page).to_have_url(re.compile(r"/reviews/$"))
    check_skip_link(page)
    activate(page, link(page, reference))
    expect(page).to_have_url(re.compile(r"/declaration\?next="))
    tick(page, page.get_by_label("I have read the declaration and I accept it"))
    page.keyboard.press("Enter")  # sends the form from its check box
    expect(page).to_have_url(re.compile(rf"/reviews/assignments/{assignment_id}$"))

    choose(page, page.get_by_label("Score for Impact"), "5", max_presses=120)
    type_into(page, page.get_by_label("Comment on Impact"), "Clear change for the officers.")
    choose(page, page.get_by_label("Score for Value for money"), "4")
    type_into(page, page.get_by_label("Overall comment"), "A strong, well-costed plan.")
    choose(page, page.get_by_label("Recommendation"), "Fund")
    activate(page, button(page, "Submit the review"))
    expect(alert(page)).to_have_text("Your review is submitted.")
    context.close()

    with live_app.app_context():
        review = db.session.scalar(select(Review))
        assert review.submitted_at is not None and review.recommendation.value == "fund"
        assert sorted(score.score for score in review.scores) == [4, 5]


def test_the_secretariat_records_a_decision_with_the_keyboard(browser, live_app, live_server):
    with live_app.app_context():
        call, (proposal,), staff = reviewed_call(1, [make_user("reviewer")], 1, title=CALL)
        call_id, proposal_id, reference, staff_email = call.id, proposal.id, proposal.reference, staff.email
        requested = proposal.requested_usd
    context = keyboard_context(browser, live_server)
    page = context.new_page()
    sign_in(page, staff_email)
    page.goto(f"/calls/{call_id}")
    check_skip_link(page)
    activate(page, link(page, "Decisions"))
    expect(page).to_have_url(re.compile(rf"/calls/{call_id}/decisions$"))

    form = page.get_by_test_id(f"decision-form-{proposal_id}")
    choose(page, form.get_by_label("Decision"), "Approve")
    type_into(page, form.get_by_label("Approved amount (USD)"), f"{requested:,.2f}")
    type_into(page, form.get_by_label("Meeting reference"), "SPG-2")
    activate(page, form.get_by_role("button", name="Record the decision"))  # without the rationale
    expect(page.get_by_text("Give the donors' rationale.")).to_be_visible()
    expect(page.get_by_test_id(f"decision-form-{proposal_id}").get_by_label("Rationale")).to_be_focused()
    page.keyboard.type("Ranked first; fits the envelope.")
    activate(page, page.get_by_test_id(f"decision-form-{proposal_id}").get_by_role(
        "button", name="Record the decision"), max_presses=3)
    expect(alert(page)).to_have_text(f"The decision on {reference} is recorded and its applicant is told.")
    expect(page.get_by_test_id("decided")).to_contain_text("approved")
    context.close()

    with live_app.app_context():
        assert db.session.get(Proposal, proposal_id).status == ProposalStatus.approved


def test_a_grantee_files_a_report_with_the_keyboard_on_a_phone(browser, live_app, live_server):
    with live_app.app_context():
        grant, grantee, _staff = approved_grant()
        grant_id, agreement, grantee_email = grant.id, grant.agreement_number, grantee.email
    context = keyboard_context(browser, live_server)
    page = context.new_page()
    page.set_viewport_size(PHONE)
    sign_in(page, grantee_email)
    check_skip_link(page)

    # At phone width the menu is folded behind its button: Enter opens it.
    activate(page, button(page, "Menu"))
    expect(link(page, "My grants")).to_be_visible()
    activate(page, link(page, "My grants"))
    expect(page).to_have_url(re.compile(r"/grants/$"))
    activate(page, link(page, agreement))
    expect(page).to_have_url(re.compile(rf"/grants/{grant_id}$"))
    activate(page, link(page, "File a financial report"))
    type_date(page, page.get_by_label("Period from"), "2027-01-01")
    type_date(page, page.get_by_label("Period to"), "2027-10-01")
    type_into(page, page.get_by_label("1. Staff and other personnel"), "12,000.00")
    type_into(page, page.get_by_label("5. Travel"), "800")
    activate(page, button(page, "File the report"))
    expect(alert(page)).to_contain_text("is filed")
    expect(page.get_by_test_id("total")).to_have_text("12,800.00")
    expect(page.get_by_test_id("status")).to_have_text("submitted")
    assert unfocusable_scrollers(page) == []
    context.close()


def test_a_donor_reads_the_portfolio_with_the_keyboard(browser, live_app, live_server):
    with live_app.app_context():
        load_history()
        norway, _japan, (first, second, third) = two_donors()
        email = make_user("donor", donor_id=norway.id).email
        db.session.commit()
        own = {first.proposal.reference, third.proposal.reference}
    context = keyboard_context(browser, live_server)
    page = context.new_page()
    sign_in(page, email)
    check_skip_link(page)

    activate(page, page.get_by_test_id("portfolio-card").get_by_role("link", name="Portfolio"))
    expect(page.get_by_test_id("own-money")).to_contain_text("What your contributions paid for: Norway")
    check_skip_link(page)
    tick(page, page.get_by_label("Only the projects my contributions paid for"), backwards=False)
    choose(page, page.get_by_label("Theme"), "Legislation", backwards=True)
    activate(page, button(page, "Apply"))
    expect(page).to_have_url(re.compile(r"theme=legislation"))
    expect(page.get_by_test_id("projects-link")).to_have_text("2")
    # Every figure table of the dashboard can be scrolled from the keyboard.
    assert unfocusable_scrollers(page) == []

    activate(page, page.get_by_test_id("projects-link"))
    expect(page).to_have_url(re.compile(r"/portfolio/projects\?.*theme=legislation"))
    for reference in own:
        expect(page.get_by_test_id("projects")).to_contain_text(reference)

    # On a phone the projects table scrolls inside its box, which the keyboard reaches and scrolls.
    page.set_viewport_size(PHONE)
    page.goto(page.url)
    assert unfocusable_scrollers(page) == []
    scroll_with_arrows(page, page.get_by_role("region", name="Funded projects"))
    context.close()
