"""Loading what the decision pages and the API show, visible-or-404."""
from flask_babel import gettext as _
from sqlalchemy import select

from ..calls.queries import get_call_or_404
from ..errors import NotFound
from ..extensions import db
from ..reviews.queries import overall_comments
from .models import Decision, StoredRecommendation
from .permissions import can_view_ranking


def get_ranked_call_or_404(user, call_id: int):
    """A call whose ranking and recommendation `user` may read (DESIGN.md: donors only for
    calls in review or later); 404 otherwise, so nobody learns what a call holds."""
    call = get_call_or_404(user, call_id)
    if not can_view_ranking(user, call):
        raise NotFound(_("No ranking for this call."))
    return call


def decision_of(proposal_id: int) -> Decision | None:
    return db.session.scalar(select(Decision).where(Decision.proposal_id == proposal_id))


def published_decision(decision: Decision) -> dict:
    """The decision as its applicant reads it (DecisionSchema): the decision itself and the
    reviewers' overall comments, without names or scores."""
    return {"decision": decision, "reviewer_comments": overall_comments(decision.proposal_id)}


def get_recommendation_or_404(call, rec_id: int) -> StoredRecommendation:
    """A stored recommendation of `call` (the caller loaded the call visible-or-404)."""
    stored = db.session.get(StoredRecommendation, rec_id)
    if stored is None or stored.call_id != call.id:
        raise NotFound(_("No such recommendation."))
    return stored
