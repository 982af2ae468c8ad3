"""Writing reviews: drafts, submission (final), and the secretariat returning one.

A review changes only while its proposal is under review: once a recommendation is
adopted the scores it was built on are frozen. The proposal's row is locked first, so a
review and an adoption (which locks the call's proposals) happen one after the other.
"""
from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import record_event
from ..calls.models import CallStatus
from ..dates import utcnow
from ..errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ..extensions import db
from ..i18n import in_language_of
from ..links import external_url
from ..locking import acquire_write_lock, lock_one
from ..outbox.services import queue_mail
from ..proposals.models import Proposal, ProposalStatus
from .models import Assignment, AssignmentStatus, Recommendation, Review, ReviewScore
from .panels import has_declared


def reviews_open(call) -> bool:
    """Reviews are written while the call is in review, until review_closes_at."""
    return call.status == CallStatus.in_review and (
        call.review_closes_at is None or utcnow() < call.review_closes_at)


def lock_reviewable(assignment: Assignment) -> Proposal:
    """Lock the assignment's proposal and refuse unless it is under review."""
    proposal = lock_one(select(Proposal).where(Proposal.id == assignment.proposal_id)
                        .execution_options(populate_existing=True))
    if proposal is None or proposal.deleted_at is not None or proposal.status != ProposalStatus.under_review:
        raise InvalidTransition(_("Reviews change only while the proposal is under review; this one is not "
                                  "(a recommendation was adopted, or it was withdrawn)."))
    return proposal


def _check_scores(call, scores: dict, comments: dict) -> dict[int, int]:
    criteria = {c.id for c in call.criteria}
    errors = {}
    for key in set(scores) | set(comments):
        if key not in criteria:
            errors[f"scores.{key}"] = [_("Not a criterion of this call.")]
    for key, value in scores.items():
        if value is None:
            continue  # a draft's score cleared
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= call.scale_max:
            errors[f"scores.{key}"] = [_("A whole number from 1 to %(max)s.", max=call.scale_max)]
    if errors:
        raise ValidationFailed(_("Some scores are not valid."), errors=errors)
    return scores


def save_review(actor, assignment: Assignment, scores: dict[int, int | None], comments: dict[int, str],
                comment: str | None, recommendation: str | None, submit: bool) -> Review:
    """Save a draft, or submit: every criterion scored and an overall comment; final.

    A criterion missing from `scores` keeps the draft's score; None clears it."""
    if assignment.reviewer_id != actor.id or assignment.status != AssignmentStatus.active:
        raise NotFound(_("No such assignment."))
    call = assignment.proposal.call
    if not has_declared(actor, call):
        raise InvalidTransition(_("Sign the call's confidentiality and conflict-of-interest declaration first."))
    if not reviews_open(call):
        raise InvalidTransition(_("Reviews for this call are closed."))
    acquire_write_lock()
    lock_reviewable(assignment)
    review = assignment.review
    if review is None:
        review = Review(assignment=assignment, scores=[])
        db.session.add(review)
    if review.submitted_at is not None:
        raise InvalidTransition(_("The review is submitted; ask the secretariat to return it to change it."))
    _check_scores(call, scores, comments)
    by_criterion = {s.criterion_id: s for s in review.scores}
    for criterion in call.criteria:
        if criterion.id in scores or criterion.id in comments:
            row = by_criterion.get(criterion.id) or ReviewScore(criterion_id=criterion.id)
            if criterion.id in scores:
                row.score = scores[criterion.id]
            if criterion.id in comments:
                row.comment = comments[criterion.id]
            if criterion.id not in by_criterion:
                review.scores.append(row)
    if comment is not None:
        review.comment = comment
    if recommendation is not None:
        review.recommendation = Recommendation(recommendation)
    if submit:
        _require_complete(call, review)
        review.submitted_at = utcnow()
    db.session.flush()
    record_event(actor, "review.submitted" if submit else "review.saved", review,
                 after={"assignment_id": assignment.id,
                        "scores": {str(s.criterion_id): s.score for s in review.scores}})
    return review


def _require_complete(call, review: Review) -> None:
    scored = {s.criterion_id for s in review.scores if s.score is not None}
    errors = {f"scores.{c.id}": [_("Score every criterion before submitting.")]
              for c in call.criteria if c.id not in scored}
    if not (review.comment or "").strip():
        errors["comment"] = [_("Write an overall comment before submitting.")]
    if errors:
        raise ValidationFailed(_("The review is not complete."), errors=errors)


def return_review(actor, assignment: Assignment, reason: str) -> Review:
    """The secretariat sends a submitted review back to its reviewer as a draft."""
    if not actor.has_role("secretariat"):
        raise PermissionDenied(_("Only the secretariat returns reviews."))
    acquire_write_lock()
    lock_reviewable(assignment)
    review = assignment.review
    if review is None or review.submitted_at is None or review.voided_at is not None:
        raise InvalidTransition(_("Only a submitted review can be returned."))
    review.submitted_at = None
    record_event(actor, "review.returned", review, after={"reason": reason})
    reviewer = assignment.reviewer
    reference = assignment.proposal.reference
    with in_language_of(reviewer):
        queue_mail(reviewer.email, _("Your review of %(reference)s was returned to you", reference=reference),
                   "review_returned", kind="review_returned", user=reviewer, reason=reason, reference=reference,
                   link=external_url("reviews.detail", assignment_id=assignment.id))
    return review
