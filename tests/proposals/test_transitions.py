"""The checklist and the transitions from the applicant's pages: submitting, read-only after
submission, reopening, withdrawing, deleting, and buttons that follow the deadline."""

from sqlalchemy import select

from tests.bodies import budget_json, proposal_json
from tests.factories import CallFactory
from tests.helpers import post_form
from tests.proposals.pages import budget_post, html, make_proposal, stored, submit
from unscar.extensions import db
from unscar.outbox.models import OutboxMessage
from unscar.proposals.models import ProposalStatus


# --- checklist and transitions ------------------------------------------------------------

def test_the_checklist_shows_what_blocks_submission_with_links(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call, complete=False)
    page = html(signed_in.get(f"/proposals/{proposal_id}"))
    assert 'data-testid="checklist"' in page
    for code in ("missing_title", "missing_results", "missing_countries", "missing_start_date", "missing_budget"):
        assert f'data-code="{code}"' in page, code
    assert f'href="/proposals/{proposal_id}/edit/results">Fix it' in page
    assert f'href="/proposals/{proposal_id}/budget">Fix it' in page


def test_a_refused_submission_lists_the_problems(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call, countries=["FRA"])
    response = submit(signed_in, proposal_id)
    page = html(response)
    assert response.status_code == 422
    assert 'data-testid="submission-refused"' in page and 'data-code="country_ineligible"' in page
    assert stored(proposal_id).status == ProposalStatus.draft


def test_submitting_shows_reference_time_history_and_queues_the_receipt(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call)
    response = submit(signed_in, proposal_id)
    assert response.headers["Location"] == f"/proposals/{proposal_id}"
    page = html(signed_in.get(f"/proposals/{proposal_id}"))
    proposal = stored(proposal_id)
    assert proposal.status == ProposalStatus.submitted
    assert f"Proposal {proposal.reference} is submitted." in page
    assert 'data-testid="submitted-at"' in page and proposal.submitted_at.strftime("%d %b %Y %H:%M UTC") in page
    assert ": draft (" in page and ": submitted (" in page
    receipt = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == applicant.email))
    assert receipt.subject == f"Proposal received: {proposal.reference}"


def test_a_submitted_proposal_is_read_only(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call)
    submit(signed_in, proposal_id)
    detail = html(signed_in.get(f"/proposals/{proposal_id}"))
    assert "Submit the proposal" not in detail and "Delete the draft" not in detail
    assert "Reopen as a draft" in detail and "Withdraw the proposal" in detail
    assert f"/proposals/{proposal_id}/edit/summary" not in detail

    response = signed_in.get(f"/proposals/{proposal_id}/edit/summary", follow_redirects=True)
    assert "The proposal is submitted: it can no longer be changed. Reopen it to edit it." in html(response)
    refused = post_form(signed_in, f"/proposals/{proposal_id}/edit/summary", {"title": "Changed"},
                        page=f"/proposals/{proposal_id}")
    assert "only drafts can be changed" in html(refused) and 'value="Changed"' in html(refused)
    refused = post_form(signed_in, f"/proposals/{proposal_id}/budget", budget_post(budget_json()["lines"][:1]),
                        page=f"/proposals/{proposal_id}")
    assert "only drafts can be changed" in html(refused)
    proposal = stored(proposal_id)
    assert proposal.title == proposal_json()["title"] and len(proposal.budget_lines) == 4


def test_reopen_then_withdraw_then_delete(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call)
    submit(signed_in, proposal_id)
    post_form(signed_in, f"/proposals/{proposal_id}/reopen", {}, page=f"/proposals/{proposal_id}")
    assert stored(proposal_id).status == ProposalStatus.draft
    submit(signed_in, proposal_id)
    response = post_form(signed_in, f"/proposals/{proposal_id}/withdraw", {"reason": "Funded elsewhere."},
                         page=f"/proposals/{proposal_id}", follow_redirects=True)
    assert "The proposal is withdrawn." in html(response) and "Funded elsewhere." in html(response)
    assert stored(proposal_id).status == ProposalStatus.withdrawn

    draft_id = make_proposal(applicant, call, complete=False)
    response = post_form(signed_in, f"/proposals/{draft_id}/delete", {}, page=f"/proposals/{draft_id}")
    assert response.headers["Location"] == "/proposals/"
    assert stored(draft_id).deleted_at is not None
    assert signed_in.get(f"/proposals/{draft_id}").status_code == 404


def test_buttons_follow_the_deadline(signed_in, applicant, call, clock):
    proposal_id = make_proposal(applicant, call)
    submit(signed_in, proposal_id)
    clock(days=31)
    page = html(signed_in.get(f"/proposals/{proposal_id}"))
    assert "Reopen as a draft" not in page and "Withdraw the proposal" in page
    refused = post_form(signed_in, f"/proposals/{proposal_id}/reopen", {}, page=f"/proposals/{proposal_id}",
                        follow_redirects=True)
    assert "The deadline has passed" in html(refused)
    draft_id = make_proposal(applicant, CallFactory(), complete=True)
    clock(days=31)
    page = html(signed_in.get(f"/proposals/{draft_id}"))
    assert "Submit the proposal" not in page and 'data-code="call_closed"' in page
