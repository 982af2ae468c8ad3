"""The factories make what their traits say, through the services, in states the
application can reach (so a test built on them starts from a real state)."""
import pytest

from tests.builders import reviewed_call
from tests.factories import (AssignmentFactory, AttachmentFactory, CallFactory, ClarificationFactory,
                             ProposalFactory, ReviewerProfileFactory, ReviewFactory, StoredRecommendationFactory,
                             UserFactory, make_user)
from unscar.calls.models import CallStatus
from unscar.proposals.models import ProposalStatus
from unscar.reviews import panels


@pytest.mark.parametrize("role", ["applicant", "secretariat", "reviewer", "donor", "admin"])
def test_a_user_trait_gives_its_role(app, role):
    user = UserFactory(**{role: True})
    assert user.has_role(role) and (user.organisation_id is not None) == (role == "applicant")


@pytest.mark.parametrize("trait", ["draft", "closed", "in_review", "decided", "archived"])
def test_a_call_trait_gives_its_status(app, trait):
    assert CallFactory(**{trait: True}).status == CallStatus(trait)


def test_proposal_stages(app):
    draft = ProposalFactory(title="Marking and tracing")
    assert draft.status == ProposalStatus.draft and draft.title == "Marking and tracing" and not draft.budget_lines
    assert ProposalFactory(with_budget=True).requested_usd > 0
    submitted = ProposalFactory(submitted=True)
    assert submitted.status == ProposalStatus.submitted and submitted.submitted_at is not None
    assert submitted.checks_snapshot["eligible"] is True
    assert [c.to_status for c in submitted.history] == [ProposalStatus.draft, ProposalStatus.submitted]
    assert ProposalFactory(under_review=True).status == ProposalStatus.under_review
    assert ProposalFactory(screened_out=True).status == ProposalStatus.screened_out


def test_attachment_and_clarification(app):
    attachment = AttachmentFactory(filename="plan.pdf")
    assert attachment.filename == "plan.pdf" and attachment.proposal.attachments == [attachment]
    asked = ClarificationFactory()
    assert asked.proposal.status == ProposalStatus.submitted and asked.answer is None
    assert ClarificationFactory(answered=True).answered_at is not None


def test_assignment_review_and_recommendation(app):
    assignment = AssignmentFactory()
    assert assignment.proposal.call.status == CallStatus.in_review
    assert not panels.has_declared(assignment.reviewer, assignment.proposal.call)
    declared = AssignmentFactory(declared=True)
    assert panels.has_declared(declared.reviewer, declared.proposal.call)
    draft = ReviewFactory()
    assert draft.submitted_at is None and all(s.score is None for s in draft.scores)
    review = ReviewFactory(submitted=True)
    assert review.submitted_at is not None and [s.score for s in review.scores] == [4, 3]
    profile = ReviewerProfileFactory(languages=["fr"])
    assert profile.languages == ["fr"]
    call, proposals, _staff = reviewed_call(2, [make_user("reviewer")], 1)
    stored = StoredRecommendationFactory(call=call, adopted=True)
    assert stored.adopted_at is not None and sorted(stored.result["selected"]) == sorted(p.id for p in proposals)
