"""A file sent twice (a double-click on Upload, a retried request) is attached once, on
the pages and through the API, to a proposal and to an answer to a question."""
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests import files
from tests.factories import CallFactory, make_user
from tests.helpers import bearer, csrf_from, web_login
from tests.bodies import budget_json, proposal_json
from unscar.api.io import load
from unscar.audit.models import AuditEvent
from unscar.extensions import db
from unscar.screening import clarifications
from unscar.proposals import services as proposals
from unscar.proposals.models import Attachment
from unscar.proposals.schemas import BudgetInSchema, ProposalInSchema

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


@pytest.fixture
def owner(app):
    return make_user("applicant")


@pytest.fixture
def draft(owner):
    proposal = proposals.create_proposal(owner, CallFactory(), load(ProposalInSchema(), proposal_json()))
    db.session.commit()
    return proposal.id


@pytest.fixture
def question(owner):
    """A question of the secretariat about a submitted proposal of `owner`'s organisation."""
    proposal = proposals.create_proposal(owner, CallFactory(), load(ProposalInSchema(), proposal_json()))
    proposals.replace_budget(owner, proposal, load(BudgetInSchema(), budget_json())["lines"])
    proposals.submit_proposal(owner, proposal)
    clarification = clarifications.ask_clarification(make_user("secretariat"), proposal, "Your statutes?")
    db.session.commit()
    return clarification.id


def _count(**where) -> int:
    return db.session.scalar(select(func.count()).select_from(Attachment).filter_by(**where))


def _added_events() -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "attachment.added"))


def _api_upload(client, headers, url, data, name):
    return client.post(url, headers=headers, data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("target", ["proposal", "answer"])
def test_the_api_answers_a_repeated_upload_with_the_first_attachment(client, owner, draft, question, target):
    headers = bearer(client, owner)
    url = (f"/api/v1/proposals/{draft}/attachments" if target == "proposal"
           else f"/api/v1/clarifications/{question}/attachments")
    first = _api_upload(client, headers, url, files.pdf_bytes(), "plan.pdf")
    assert first.status_code == 201
    again = _api_upload(client, headers, url, files.pdf_bytes(), "plan (1).pdf")
    assert again.status_code == 200
    assert again.get_json() == first.get_json()  # the first attachment, under its first name
    other = _api_upload(client, headers, url, files.png_bytes(), "logo.png")
    assert other.status_code == 201
    where = {"proposal_id": draft, "clarification_id": None} if target == "proposal" else {"clarification_id": question}
    assert _count(**where) == 2 and _added_events() == 2


def test_the_same_file_may_go_to_two_proposals(client, owner, draft):
    headers = bearer(client, owner)
    other = proposals.create_proposal(owner, CallFactory(), load(ProposalInSchema(), proposal_json()))
    db.session.commit()
    for proposal_id in (draft, other.id):
        response = _api_upload(client, headers, f"/api/v1/proposals/{proposal_id}/attachments",
                               files.pdf_bytes(), "plan.pdf")
        assert response.status_code == 201


def test_a_double_click_on_upload_attaches_the_file_once(client, owner, draft):
    web_login(client, owner.email)
    url = f"/proposals/{draft}/attachments"
    token = csrf_from(client.get(url).get_data(as_text=True))
    for _ in range(2):
        response = client.post(url, data={"csrf_token": token, "file": (io.BytesIO(files.pdf_bytes()), "plan.pdf")},
                               content_type="multipart/form-data", follow_redirects=True)
        assert response.status_code == 200
    assert "plan.pdf is already attached." in response.get_data(as_text=True)
    assert _count(proposal_id=draft) == 1 and _added_events() == 1


def test_an_answer_sent_twice_keeps_one_copy_of_its_file(client, owner, question):
    web_login(client, owner.email)
    url = f"/screening/clarifications/{question}/answer"
    token = csrf_from(client.get(url).get_data(as_text=True))
    for _ in range(2):
        response = client.post(url, data={"answer": "Attached.", "csrf_token": token,
                                          "files": [(io.BytesIO(files.pdf_bytes()), "statutes.pdf")]},
                               content_type="multipart/form-data")
        assert response.status_code == 302
    assert _count(clarification_id=question) == 1


@pytest.mark.parametrize("template", ["proposals/attachments.html", "screening/answer.html",
                                      "accounts/organisation.html", "calls/detail.html"])
def test_upload_forms_are_sent_once_by_the_browser(template):
    text = (TEMPLATES / template).read_text()
    assert "data-submit-once" in text and "js/submit-once.js" in text
