"""The decisions blueprint, shared by views.py (ranking and recommendation) and
decision_views.py (endorsements and the decision on each proposal). The pages keep the
addresses they had under /reviews."""
from flask import Blueprint

from .history import call_history
from .permissions import (can_adopt_recommendation, can_compute_recommendation, can_endorse, can_record_decision,
                          can_view_ranking, can_view_review_scores)
from .queries import decision_of, published_decision

bp = Blueprint("decisions", __name__, url_prefix="/reviews")
# Templates show a button exactly when the service would accept the action.
for _predicate in (can_view_ranking, can_view_review_scores, can_compute_recommendation, can_adopt_recommendation,
                   can_endorse, can_record_decision):
    bp.add_app_template_global(_predicate)
# A decided call's page shows its history (calls/ knows nothing of decisions).
bp.add_app_template_global(call_history)


@bp.app_template_global()
def decision_for(proposal) -> dict | None:
    """The published decision on a proposal page (proposals/ knows nothing of decisions)."""
    decision = decision_of(proposal.id)
    return published_decision(decision) if decision else None
