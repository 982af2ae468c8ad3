"""An applicant writes a proposal with a budget and a PDF, meets a blocking problem, fixes
it and submits; the receipt waits in the outbox."""
import re

from playwright.sync_api import expect
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tests.factories import PASSWORD, CallFactory, make_user
from tests.files import pdf_bytes
from unscar.dates import utcnow
from unscar.extensions import db
from unscar.outbox.models import OutboxMessage
from unscar.proposals.models import Proposal, ProposalStatus

YEAR = utcnow().year + 1
TITLE = "Licensing officers trained on Arms Trade Treaty criteria"


def sign_in(page, email):
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_test_id("user-menu")).to_be_visible()


def save_and_continue(page, next_url: str):
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("alert")).to_have_text("Saved.")
    expect(page).to_have_url(re.compile(next_url))


def write_sections(page):
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary", exact=True).fill("Two national trainings for licensing officers.\nA handbook.")
    page.get_by_label("Objectives").fill("Licensing decisions apply ATT article 7.")
    save_and_continue(page, r"/edit/results$")

    page.get_by_label("Outcome 1", exact=True).fill("Officers apply the ATT criteria")
    page.get_by_label("Output 1.1", exact=True).fill("40 officers trained")
    page.get_by_label("Indicator 1.1.1", exact=True).fill("Officers certified")
    page.get_by_label("Baseline 1.1.1", exact=True).fill("0")
    page.get_by_label("Target 1.1.1", exact=True).fill("40")
    page.get_by_role("button", name="Add an indicator").click()  # a second row, added by the page's script
    page.get_by_label("Indicator 1.1.2", exact=True).fill("Share of women among them")
    page.get_by_label("Target 1.1.2", exact=True).fill("40%")
    save_and_continue(page, r"/edit/scope$")

    page.get_by_label("Capacity building").check()
    page.get_by_label("Legislation (a priority of this call)").check()
    page.get_by_label("Arms Trade Treaty (ATT)").check()
    page.get_by_label("Find a country by name").fill("Kenya")
    page.get_by_label("Kenya", exact=True).check()
    save_and_continue(page, r"/edit/plan$")

    page.get_by_label("Start date").fill(f"{YEAR}-01-01")
    page.get_by_label("Duration in months").fill("18")
    page.get_by_label("Language of the proposal").select_option("en")
    page.get_by_label("Gender marker (OECD DAC)").select_option("1")
    page.get_by_label("Risks and how they are managed").fill("Elections may delay the trainings.")
    page.get_by_label("Sustainability").fill("The academy keeps the curriculum.")
    page.get_by_label("Co-funding from other sources (USD)").fill("5,000")
    save_and_continue(page, r"/budget$")


def fill_line(page, number: int, category, description, unit, quantity, unit_cost):
    page.get_by_label(f"Category {number}", exact=True).select_option(category)
    page.get_by_label(f"Description {number}", exact=True).fill(description)
    page.get_by_label(f"Unit {number}", exact=True).fill(unit)
    page.get_by_label(f"Quantity {number}", exact=True).fill(quantity)
    page.get_by_label(f"Unit cost (USD) {number}", exact=True).fill(unit_cost)
    page.get_by_label(f"Year {number}", exact=True).fill(str(YEAR))


def write_budget_and_attach(page, tmp_path):
    fill_line(page, 1, "staff", "Project coordinator", "month", "12", "4,500")
    page.get_by_role("button", name="Add a line").click()
    fill_line(page, 2, "indirect", "Programme support", "lump sum", "1", "10000")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_test_id("direct")).to_have_text("USD 54,000.00")
    expect(page.get_by_test_id("total")).to_contain_text("USD 64,000.00")
    expect(page.get_by_test_id("budget-problems")).to_contain_text(
        "Indirect support costs of USD 10,000.00 are USD 6,220.00 over this call's cap of 7%")

    page.get_by_role("link", name="Attachments", exact=True).click()
    pdf = tmp_path / "Work plan.pdf"
    pdf.write_bytes(pdf_bytes())
    page.get_by_label("File (PDF, DOCX, XLSX, PNG or JPEG)").set_input_files(pdf)
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_role("alert")).to_have_text("Work plan.pdf is attached.")
    expect(page.get_by_test_id("attachments")).to_contain_text("application/pdf")


def test_applicant_fixes_a_blocking_problem_and_submits(page, live_app, live_server, tmp_path):
    with live_app.app_context():
        applicant = make_user("applicant").email
        secretariat = make_user("secretariat").email
        call_id = CallFactory(title="Arms Trade Treaty implementation").id

    sign_in(page, applicant)
    page.get_by_role("link", name="Calls for proposals").click()
    page.get_by_role("link", name="Arms Trade Treaty implementation").click()
    expect(page).to_have_url(re.compile(rf"/calls/{call_id}$"))
    page.get_by_role("button", name="Start a proposal").click()
    expect(page.get_by_role("alert")).to_contain_text("is started as a draft")
    write_sections(page)
    write_budget_and_attach(page, tmp_path)

    page.get_by_role("link", name="Overview and checklist").click()
    expect(page.get_by_test_id("checklist")).to_contain_text("over this call's cap of 7% of the direct costs")
    page.get_by_role("button", name="Submit the proposal").click()
    refused = page.get_by_test_id("submission-refused")
    expect(refused).to_contain_text(
        "Indirect support costs of USD 10,000.00 are USD 6,220.00 over this call's cap of 7%")
    refused.get_by_role("link", name="Fix it").click()
    expect(page).to_have_url(re.compile(r"/budget$"))
    page.get_by_label("Unit cost (USD) 2", exact=True).fill("3000")
    page.get_by_role("button", name="Save and continue").click()  # on to the attachments
    page.get_by_role("link", name="Overview and checklist").click()
    expect(page.get_by_test_id("checklist")).to_have_text("Every check passes: the proposal is ready to submit.")
    page.get_by_role("button", name="Submit the proposal").click()

    reference = f"UNSCAR-{utcnow().year}-0001"
    expect(page.get_by_role("alert")).to_have_text(
        f"Proposal {reference} is submitted. A receipt is on its way to your organisation.")
    expect(page.get_by_test_id("proposal-status")).to_have_text("submitted")
    expect(page.get_by_test_id("submitted-at")).not_to_be_empty()
    expect(page.get_by_test_id("history")).to_contain_text("submitted")
    expect(page.get_by_role("button", name="Submit the proposal")).to_have_count(0)
    expect(page.get_by_role("link", name="Budget", exact=True)).to_have_count(0)  # no editor once submitted

    page.get_by_test_id("user-menu").click()
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, secretariat)
    page.goto("/outbox/")
    expect(page.get_by_text(f"Proposal received: {reference}")).to_be_visible()

    with live_app.app_context():
        proposal = db.session.scalar(select(Proposal).options(selectinload(Proposal.budget_lines)))
        assert proposal.status == ProposalStatus.submitted and proposal.reference == reference
        assert [(line.category.value, str(line.amount_usd)) for line in proposal.budget_lines] == [
            ("staff", "54000.00"), ("indirect", "3000.00")]
        assert [i["indicator"] for i in proposal.results[0]["outputs"][0]["indicators"]] == [
            "Officers certified", "Share of women among them"]
        assert proposal.countries == ["KEN"] and str(proposal.cofunding_usd) == "5000.00"
        assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == applicant)).subject == (
            f"Proposal received: {reference}")
