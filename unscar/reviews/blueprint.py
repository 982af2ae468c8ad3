"""The reviews blueprint, shared by the page modules that register routes on it (views.py:
the reviewer's pages; panel_views.py: the secretariat's panel and assignment pages;
profile_views.py: reviewer profiles)."""
from flask import Blueprint

from .forms import LINK_KIND_LABELS, RECOMMENDATION_LABELS
from .permissions import (can_declare_conflict, can_decline, can_follow_reviews, can_manage_panel, can_return_review,
                          can_review, can_sign_declaration)

bp = Blueprint("reviews", __name__, url_prefix="/reviews")
# Templates show a button exactly when the service would accept the action.
for _predicate in (can_review, can_decline, can_declare_conflict, can_manage_panel, can_follow_reviews,
                   can_return_review, can_sign_declaration):
    bp.add_app_template_global(_predicate)


@bp.context_processor
def _labels():
    return {"RECOMMENDATION_LABELS": RECOMMENDATION_LABELS, "LINK_KIND_LABELS": LINK_KIND_LABELS}
