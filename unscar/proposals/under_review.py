"""The proposals under review, for the donors' representatives (and the staff): what the
review panel is scoring and what awaits the donors' decision, across the calls in review.

Scoped by visible_proposals, the rule GET /api/v1/proposals follows too, so a donor sees
here exactly what the API lists: proposals under review or later, in calls in review or
later; never drafts. The page names no reviewer and shows no review text; the call's
ranking (its own page, same rule) gives the scores."""
from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..calls.models import Call
from ..extensions import db
from ..inputs import int_arg
from ..permissions import role_required
from ..roles import RANKING_ROLES
from .blueprint import bp
from .models import Proposal, ProposalStatus
from .permissions import visible_proposals

# Reviewed and not yet decided: the decided ones are on each call's page and decisions.
AWAITING_DECISION = (ProposalStatus.under_review, ProposalStatus.recommended, ProposalStatus.not_recommended)
STATUS_CHOICES = {"under_review": _l("Under review"), "recommended": _l("Recommended"),
                  "not_recommended": _l("Not recommended")}
ORDER = "Calls by deadline, latest first; then by reference."
PER_PAGE = 50


def awaiting_decision(user, call_id: int | None = None, status: str | None = None):
    """The proposals `user` may see that await the donors' decision, in ORDER."""
    states = (ProposalStatus(status),) if status in STATUS_CHOICES else AWAITING_DECISION
    stmt = visible_proposals(user).where(Proposal.status.in_(states)).join(Proposal.call)
    if call_id is not None:
        stmt = stmt.where(Proposal.call_id == call_id)
    return stmt.order_by(Call.closes_at.desc(), Call.id.desc(), Proposal.reference)


def calls_with_proposals_awaiting(user) -> list[Call]:
    """The calls of the filter: those with a proposal the user sees awaiting a decision."""
    ids = awaiting_decision(user).with_only_columns(Proposal.call_id).order_by(None).distinct()
    return list(db.session.scalars(select(Call).where(Call.id.in_(ids)).order_by(Call.closes_at.desc(), Call.id.desc())))


@bp.get("/under-review")
@role_required(*RANKING_ROLES)
def under_review():
    call_id, status = int_arg("call_id"), request.args.get("status", "")
    stmt = awaiting_decision(current_user, call_id, status).options(
        joinedload(Proposal.call), joinedload(Proposal.organisation))
    page = db.paginate(stmt, per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
    if page.pages and page.page > page.pages:  # past the last page: the last one
        page = db.paginate(stmt, page=page.pages, per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
    return render_template("proposals/under_review.html", page=page, calls=calls_with_proposals_awaiting(current_user),
                           call_id=call_id, status=status if status in STATUS_CHOICES else "",
                           statuses=STATUS_CHOICES)
