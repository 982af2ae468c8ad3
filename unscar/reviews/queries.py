"""What other parts read of the reviews, through functions rather than the models."""
from sqlalchemy import and_, func, select

from ..extensions import db
from ..proposals.models import Proposal, ProposalStatus
from .models import Assignment, AssignmentStatus, Review, ReviewScore

# The proposals whose reviews a recommendation ranks (decisions.services.RANKED_STATES).
_RANKED = (ProposalStatus.under_review, ProposalStatus.recommended, ProposalStatus.not_recommended)


def counted_reviews(call) -> list[tuple[int, int, dict[int, int]]]:
    """(proposal id, reviewer id, {criterion id: score}) of every submitted, not voided
    review of the call on an active assignment: those the ranking counts. One query of
    plain columns, a row per score: a large call has tens of thousands of scores, too
    many to build as objects on every ranking."""
    rows = db.session.execute(
        select(Review.id, Assignment.proposal_id, Assignment.reviewer_id, ReviewScore.criterion_id, ReviewScore.score)
        .join(Assignment, Assignment.id == Review.assignment_id)
        .outerjoin(ReviewScore, ReviewScore.review_id == Review.id)
        .where(Assignment.call_id == call.id, Assignment.status == AssignmentStatus.active,
               Review.submitted_at.is_not(None), Review.voided_at.is_(None))
        .order_by(Review.id, ReviewScore.criterion_id))
    reviews: dict[int, tuple[int, int, dict[int, int]]] = {}
    for review_id, proposal_id, reviewer_id, criterion_id, score in rows:
        scores = reviews.setdefault(review_id, (proposal_id, reviewer_id, {}))[2]
        if criterion_id is not None:
            scores[criterion_id] = score
    return list(reviews.values())


def unfinished_assignments(call_id: int) -> int:
    """Active assignments of the call on a ranked proposal whose review is not submitted (or
    was voided): each is a score the ranking would miss. One query."""
    counted = select(Review.id).where(Review.assignment_id == Assignment.id, Review.submitted_at.is_not(None),
                                      Review.voided_at.is_(None)).exists()
    return db.session.scalar(
        select(func.count(Assignment.id)).join(Proposal, and_(Proposal.id == Assignment.proposal_id))
        .where(Assignment.call_id == call_id, Assignment.status == AssignmentStatus.active,
               Proposal.deleted_at.is_(None), Proposal.status.in_(_RANKED), ~counted))


def overall_comments(proposal_id: int) -> list[str]:
    """The overall comments of the proposal's counted reviews, without names or scores: what
    its applicant reads once the decision is published. One query."""
    return list(db.session.scalars(
        select(Review.comment).join(Assignment)
        .where(Assignment.proposal_id == proposal_id, Assignment.status == AssignmentStatus.active,
               Review.submitted_at.is_not(None), Review.voided_at.is_(None), Review.comment != "")
        .order_by(Review.submitted_at, Review.id)))
