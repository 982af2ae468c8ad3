"""What other parts read of the reviews, through functions rather than the models."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from .models import Assignment, AssignmentStatus, Review


def counted_reviews(call) -> list[tuple[int, int, dict[int, int]]]:
    """(proposal id, reviewer id, {criterion id: score}) of every submitted, not voided
    review of the call on an active assignment: those the ranking counts. One query."""
    rows = db.session.scalars(select(Review).join(Assignment).where(
        Assignment.call_id == call.id, Assignment.status == AssignmentStatus.active,
        Review.submitted_at.is_not(None), Review.voided_at.is_(None))
        .options(selectinload(Review.scores), selectinload(Review.assignment))).all()
    return [(r.assignment.proposal_id, r.assignment.reviewer_id, {s.criterion_id: s.score for s in r.scores})
            for r in rows]
