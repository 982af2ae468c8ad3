"""A call's ranking from its submitted reviews, and its funding recommendation: computed
on demand, stored as a draft, adopted by the secretariat."""
from decimal import Decimal

from flask_babel import gettext as _, ngettext
from sqlalchemy import select

from ..audit.services import record_event
from ..calls.models import Call, CallStatus
from ..dates import utcnow
from ..errors import InvalidTransition, PermissionDenied, ValidationFailed
from ..extensions import db
from ..funds.services import available_usd
from ..locking import lock_rows
from ..money import format_money
from ..proposals.models import Proposal, ProposalStatus
from ..proposals.services import change_status
from ..regions import regions_of
from ..reviews.queries import counted_reviews, unfinished_assignments
from . import ranking, recommendation
from .models import StoredRecommendation

RANKED_STATES = (ProposalStatus.under_review, ProposalStatus.recommended, ProposalStatus.not_recommended)


def _rules(call) -> ranking.ScoringRules:
    return ranking.ScoringRules(weights={c.id: c.weight for c in call.criteria}, scale_max=call.scale_max,
                                reviewers_per_proposal=call.reviewers_per_proposal)


def ranked_proposals(call) -> list[Proposal]:
    return db.session.scalars(select(Proposal).where(
        Proposal.call_id == call.id, Proposal.status.in_(RANKED_STATES), Proposal.deleted_at.is_(None))
        .order_by(Proposal.reference)).all()


def submitted_reviews(call) -> list[ranking.SubmittedReview]:
    """Every review that counts in the call's ranking (reviews.queries decides which)."""
    return [ranking.SubmittedReview(proposal_id, reviewer_id, scores)
            for proposal_id, reviewer_id, scores in counted_reviews(call)]


def call_ranking(call) -> tuple[list[ranking.RankingRow], dict[int, Proposal]]:
    """The ranking rows, best first, and the proposals they rank by id."""
    proposals = ranked_proposals(call)
    rows = ranking.rank_proposals([ranking.ProposalEntry(p.id, p.reference) for p in proposals],
                                  submitted_reviews(call), _rules(call))
    return rows, {p.id: p for p in proposals}


def review_scores(call) -> list[ranking.CalibratedScore]:
    """Each review's raw and calibrated score, for the page that shows both."""
    return ranking.calibrate(submitted_reviews(call), _rules(call))


def make_recommendation(actor, call, envelope_usd: Decimal | None = None, objective: str = "normalised_score",
                        min_score: Decimal | None = None, min_share: dict | None = None) -> StoredRecommendation:
    """Solve exactly and store as a draft; no proposal changes state."""
    if not actor.has_role("secretariat"):
        raise PermissionDenied(_("Only the secretariat computes recommendations."))
    _check_min_score(call, min_score)
    rows, proposals = call_ranking(call)
    candidates = [recommendation.candidate_from_row(
        row, proposals[row.proposal_id].requested_usd, regions_of(proposals[row.proposal_id].countries),
        proposals[row.proposal_id].themes, objective) for row in rows]
    envelope = envelope_usd if envelope_usd is not None else call.envelope_usd
    # The money the fund can still commit caps the selection too (DESIGN.md "Recommendation").
    available = available_usd()
    cap = min(envelope, available)
    result = recommendation.recommend(candidates, cap, min_score=min_score, min_share=min_share)
    stored = StoredRecommendation(call_id=call.id, created_by_id=actor.id, parameters={
        "envelope_usd": format_money(envelope), "available_usd": format_money(available), "objective": objective,
        "min_score": None if min_score is None else str(min_score), "min_share": min_share or {}},
        result=_as_json(result, objective))
    db.session.add(stored)
    db.session.flush()
    record_event(actor, "recommendation.computed", stored, after={"call_id": call.id, **stored.parameters,
                                                                   "selected": stored.result["selected"]})
    return stored


def _check_min_score(call, min_score: Decimal | None) -> None:
    """Both objectives score on the call's scale (DESIGN.md "Ranking"): a minimum outside it
    would silently select nothing, or everything."""
    if min_score is not None and not 1 <= Decimal(str(min_score)) <= call.scale_max:
        score = f"{Decimal(str(min_score)).normalize():f}"
        message = _("The minimum score %(score)s is outside this call's scale of 1 to %(max)s: give a number from 1 "
                    "to %(max)s, or leave it empty.", score=score, max=call.scale_max)
        raise ValidationFailed(message, errors={"min_score": [message]})


def _as_json(result: recommendation.RecommendationResult, objective: str) -> dict:
    return {"selected": list(result.selected_ids), "objective": objective,
            "total_usd": format_money(result.total_usd), "total_score": str(result.total_score),
            "cap_usd": format_money(result.cap_usd), "shares": {k: str(v) for k, v in result.shares.items()},
            # The words as computed, and the facts they are written from again for each reader.
            "explanation": {"text": result.text, "binding": list(result.binding), "facts": result.facts,
                            "left_out": [{"proposal_id": lo.proposal_id, "reason": lo.reason, "why": lo.why}
                                         for lo in result.left_out]}}


def latest_recommendation(call) -> StoredRecommendation | None:
    return db.session.scalar(select(StoredRecommendation).where(StoredRecommendation.call_id == call.id)
                             .order_by(StoredRecommendation.id.desc()).limit(1))


def adoption_refusal(stored: StoredRecommendation) -> str | None:
    """Why the recommendation cannot be adopted now, or None; the page shows its adopt button
    exactly when this is None (permissions.can_adopt_recommendation)."""
    if stored.adopted_at is not None:
        return _("This recommendation is already adopted.")
    if db.session.get(Call, stored.call_id).status != CallStatus.in_review:
        return _("Recommendations are adopted while the call is in review.")
    if latest_recommendation_id(stored.call_id) != stored.id:
        return _("A newer recommendation exists; adopt that one or compute again.")
    missing = unfinished_assignments(stored.call_id)
    if missing:
        # Adopting now would mark proposals with reviews still to come not recommended, and
        # freeze a record that later reviews would contradict.
        return ngettext("%(num)d active assignment has no submitted review. Wait for it, or remove the assignment "
                        "whose review will not come (on the assignments page, with a reason), then compute again.",
                        "%(num)d active assignments have no submitted review. Wait for them, or remove the "
                        "assignments whose review will not come (on the assignments page, with a reason), then "
                        "compute again.", missing)
    return None


def adopt_recommendation(actor, stored: StoredRecommendation) -> list[Proposal]:
    """The selected proposals become recommended, the other ranked ones not recommended;
    only once every active assignment's review is in."""
    if not actor.has_role("secretariat"):
        raise PermissionDenied(_("Only the secretariat adopts recommendations."))
    # The call's proposals are locked first: a review being saved (which locks its proposal)
    # is either in before the count below or refused after, never lost in between.
    proposals = lock_rows(select(Proposal).where(
        Proposal.call_id == stored.call_id, Proposal.status.in_(RANKED_STATES), Proposal.deleted_at.is_(None))
        .order_by(Proposal.id).execution_options(populate_existing=True)).all()
    refusal = adoption_refusal(stored)
    if refusal:
        raise InvalidTransition(refusal)
    selected = set(stored.result["selected"])
    for proposal in proposals:
        to = ProposalStatus.recommended if proposal.id in selected else ProposalStatus.not_recommended
        if proposal.status != to:
            change_status(actor, proposal, to, reason=_("Recommendation %(id)s adopted", id=stored.id))
    stored.adopted_at, stored.adopted_by_id = utcnow(), actor.id
    record_event(actor, "recommendation.adopted", stored, after={"selected": sorted(selected)})
    return proposals


def latest_recommendation_id(call_id: int) -> int | None:
    return db.session.scalar(select(StoredRecommendation.id).where(StoredRecommendation.call_id == call_id)
                             .order_by(StoredRecommendation.id.desc()).limit(1))
