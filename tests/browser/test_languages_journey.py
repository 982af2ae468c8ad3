"""An applicant's journey in French and in Arabic: a visitor chooses the language with the
switcher, registers, reads the call in it, starts a proposal and submits it, and the receipt
e-mail comes in it; Arabic pages read right to left. Each page of the journey passes axe-core
and fits a 375 px screen in that language, as the English ones do.

The words looked for are the catalogue's (the application's own gettext in that language),
so the test follows the translators' choices and fails when a message is left in English."""
import re

import pytest
from flask_babel import force_locale, gettext
from playwright.sync_api import expect
from sqlalchemy import select

from tests.bodies import budget_json, proposal_json
from tests.browser.accessibility import check_page
from tests.factories import CallFactory
from unscar.accounts.models import User
from unscar.api.io import load
from unscar.extensions import db
from unscar.i18n import LANGUAGES
from unscar.outbox.models import OutboxMessage
from unscar.proposals import services as proposals
from unscar.proposals.models import Proposal, ProposalStatus
from unscar.proposals.schemas import BudgetInSchema, ProposalInSchema

PASSWORD = "a-long-password-2026"


def translated(app, language: str, message: str, **values) -> str:
    with app.test_request_context("/"), force_locale(language):
        text = gettext(message, **values)
    assert language == "en" or text != message or message.isupper(), f"{message!r} is not translated into {language}"
    return text


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_an_applicant_registers_drafts_and_submits_in_their_language(language, browser, live_app, live_server):
    def t(message, **values):
        return translated(live_app, language, message, **values)

    with live_app.app_context():
        call_id = CallFactory(title="Arms Trade Treaty implementation").id
    context = browser.new_context(base_url=live_server, bypass_csp=True)  # bypass: axe is injected
    page = context.new_page()
    visited = []

    page.goto("/")
    page.get_by_test_id("language-menu").click()
    page.get_by_role("button", name=LANGUAGES[language]).click()
    html = page.locator("html")
    expect(html).to_have_attribute("lang", language)
    expect(html).to_have_attribute("dir", "rtl" if language == "ar" else "ltr")
    if language == "ar":  # Bootstrap's right-to-left build, not the left-to-right one
        expect(page.locator("link[rel=stylesheet]").first).to_have_attribute("href", re.compile(r"bootstrap\.rtl"))
    visited.append(page.url)

    page.get_by_role("link", name=t("Register"), exact=True).click()
    page.get_by_label(t("Organisation name")).fill("Forum d'Accra sur les armes légères")
    page.get_by_label(t("Type of organisation")).select_option("research_institute")
    page.get_by_label(t("Country"), exact=True).select_option("GHA")
    page.get_by_label(t("Your name")).fill("Ama Mensah")
    page.get_by_label(t("Your e-mail address")).fill(f"ama.{language}@example.org")
    page.get_by_label(t("Password"), exact=True).fill(PASSWORD)
    page.get_by_label(t("Repeat the password")).fill(PASSWORD)
    visited.append(page.url)
    page.get_by_role("button", name=t("Register"), exact=True).click()
    expect(page.get_by_role("alert").first).to_have_text(
        t("Your organisation is registered. The secretariat will verify it."))

    page.goto(f"/calls/{call_id}")
    visited.append(page.url)
    page.get_by_role("button", name=t("Start a proposal")).click()
    expect(page).to_have_url(re.compile(r"/proposals/\d+"))
    with live_app.app_context():
        user = db.session.scalar(select(User).where(User.email == f"ama.{language}@example.org"))
        assert user.language == language  # registered in it: the account keeps it
        proposal = db.session.scalar(select(Proposal).where(Proposal.created_by_id == user.id))
        # The sections are filled as the API would (the English journey types them in); the
        # pages that show them are checked below.
        proposals.update_proposal(user, proposal, load(ProposalInSchema(), proposal_json()))
        proposals.replace_budget(user, proposal, load(BudgetInSchema(), budget_json())["lines"])
        db.session.commit()
        proposal_id = proposal.id
    for url in (f"/proposals/{proposal_id}", f"/proposals/{proposal_id}/edit/summary",
                f"/proposals/{proposal_id}/budget"):
        page.goto(url)
        visited.append(url)
    page.goto(f"/proposals/{proposal_id}")
    page.get_by_role("button", name=t("Submit the proposal")).click()
    expect(page.get_by_test_id("proposal-status")).to_have_text(t("submitted"))

    problems = []
    for url in visited:
        problems += check_page(page, url)
    context.close()
    assert not problems, "\n".join(problems)

    with live_app.app_context():
        assert db.session.get(Proposal, proposal_id).status == ProposalStatus.submitted
        receipt = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == f"ama.{language}@example.org")
                                     .order_by(OutboxMessage.id.desc())).first()
        assert receipt is not None and t("Dear %(name)s,", name="Ama Mensah") in receipt.body
