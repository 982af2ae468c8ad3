"""Under the Content-Security-Policy the pages' scripts still work and nothing is refused:
the member-removal question, and Upload clicked twice attaching the file once."""
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser.test_proposal_journey import sign_in
from tests.factories import CallFactory, make_user
from tests.files import pdf_bytes
from tests.bodies import proposal_json
from unscar.api.io import load
from unscar.extensions import db
from unscar.proposals import services as proposals
from unscar.proposals.models import Attachment
from unscar.proposals.schemas import ProposalInSchema


@pytest.fixture
def refusals(page):
    """The console's Content-Security-Policy refusals while the test runs."""
    messages = []
    page.on("console", lambda message: messages.append(message.text)
            if "Content Security Policy" in message.text else None)
    return messages


def test_the_removal_question_names_the_colleague_without_running_it(page, live_app, refusals):
    with live_app.app_context():
        owner = make_user("applicant")
        make_user("applicant", organisation=owner.organisation, name="O'Brien'); document.title = ('x")
        db.session.commit()
        email = owner.email
    sign_in(page, email)
    page.goto("/organisation")
    questions = []
    page.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    page.get_by_role("button", name="Remove").first.click()
    expect(page.get_by_role("button", name="Remove").first).to_be_visible()
    assert questions and questions[0].startswith("Remove ") and page.title() != "x"
    assert refusals == []


def test_upload_clicked_twice_attaches_the_file_once(page, live_app, refusals, tmp_path):
    with live_app.app_context():
        owner = make_user("applicant")
        proposal = proposals.create_proposal(owner, CallFactory(), load(ProposalInSchema(), proposal_json()))
        db.session.commit()
        email, proposal_id = owner.email, proposal.id
    plan = tmp_path / "plan.pdf"
    plan.write_bytes(pdf_bytes())
    sign_in(page, email)
    page.goto(f"/proposals/{proposal_id}/attachments")
    page.get_by_label(re.compile("File")).set_input_files(str(plan))
    # Two submissions in a row, as a double-click makes them; the last listener counts
    # those the page let through and holds them, so that both can be counted.
    sent = page.evaluate("""() => {
        const form = document.querySelector("form[data-submit-once], form[enctype]");
        let sent = 0;
        form.addEventListener("submit", (event) => { if (!event.defaultPrevented) { sent++; } event.preventDefault(); });
        form.requestSubmit(); form.requestSubmit();
        return sent;
    }""")
    assert sent == 1
    upload = page.get_by_role("button", name="Upload")
    expect(upload).to_be_disabled()
    page.reload()
    page.get_by_label(re.compile("File")).set_input_files(str(plan))
    page.get_by_role("button", name="Upload").dblclick()
    expect(page.get_by_role("alert")).to_have_text("plan.pdf is attached.")
    with live_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attachment)) == 1
    assert refusals == []
