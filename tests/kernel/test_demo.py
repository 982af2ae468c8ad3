"""The demo holds proposals in every state reached so far, and a working review panel."""
from sqlalchemy import func, select

from unscar.demo import load_demo
from unscar.extensions import db
from unscar.proposals.models import Proposal, ProposalStatus
from unscar.proposals.services import current_checks
from unscar.reviews.models import Assignment, AssignmentStatus, Review


def test_demo_proposals_and_reviews(app):
    assert load_demo() is True
    db.session.commit()
    states = dict(db.session.execute(select(Proposal.status, func.count()).group_by(Proposal.status)).all())
    assert set(states) == {ProposalStatus.draft, ProposalStatus.submitted, ProposalStatus.under_review,
                           ProposalStatus.screened_out, ProposalStatus.withdrawn}
    for proposal in db.session.scalars(select(Proposal).where(Proposal.status != ProposalStatus.draft)):
        assert current_checks(proposal)["eligible"], proposal.reference
        assert proposal.budget_lines and proposal.results and proposal.requested_usd > 0
    assignments = dict(db.session.execute(select(Assignment.status, func.count()).group_by(Assignment.status)).all())
    assert assignments[AssignmentStatus.conflicted] == 1 and assignments[AssignmentStatus.active] >= 18
    submitted = db.session.scalar(select(func.count()).select_from(Review).where(Review.submitted_at.is_not(None)))
    drafts = db.session.scalar(select(func.count()).select_from(Review).where(Review.submitted_at.is_(None)))
    assert submitted > drafts > 0
    from unscar.decisions.models import StoredRecommendation
    recommendation = db.session.scalars(select(StoredRecommendation)).one()
    assert recommendation.result["selected"] and recommendation.adopted_at is None
