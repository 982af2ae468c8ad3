"""The calibrated ranking of a call's proposals (DESIGN.md "Ranking"), without database or Flask.

`rank_proposals()` takes plain values: the proposals to rank, every submitted review of
the call and the call's `ScoringRules`; it returns one `RankingRow` per proposal, with
the fields of API.md's GET /calls/{id}/ranking that the reviews decide.

Formulas, per DESIGN.md:

- a review's weighted score w = Σ(weight × score) / Σ weight;
- μ, σ: mean and population standard deviation of w over all the reviews given (the
  call's submitted reviews); μ_r, σ_r: the same over reviewer r's reviews;
- its calibrated score c = μ + σ × (w − μ_r) / σ_r, except that a reviewer with fewer
  than 3 reviews, or with σ_r = 0, keeps c = w; every c is clipped to 1..scale_max;
- weighted_mean = mean of w, normalised_score = mean of c, spread = max w − min w,
  over the proposal's reviews; missing_reviews = max(0, reviewers_per_proposal − n).

Decisions the design leaves open:

- Arithmetic is Decimal with 50 significant digits (square roots included), never
  float. Published values are snapped to 30 decimal places, which absorbs the ~1e-49
  error of a square root, then rounded half-up to two decimals: an exact 2.675 is
  published as 2.68 (float arithmetic would give 2.67).
- Rank, flag and tie-breaks use the published values, so every rank and every flag can
  be checked against the table people read: rank by normalised_score, then
  weighted_mean, both descending, then reference ascending. References are unique, so
  ranks are 1, 2, 3, ... with no shared rank.
- flagged: published spread ≥ flag_share × (scale_max − 1), compared exactly.
- A proposal without a submitted review has no scores (None), is not flagged, has no
  rank (None) and is listed after the ranked ones, by reference.
- Reviews of proposals not given (a withdrawn one, say) still count for μ, σ, μ_r and
  σ_r if the caller passes them: the caller decides what "the call's submitted
  reviews" are; voided reviews should not be passed.
"""
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, localcontext

from ..money import CENT

PRECISION = 50
SNAP = Decimal("1e-30")
# DESIGN.md: a reviewer with fewer reviews than this keeps its raw scores.
MIN_REVIEWS_TO_CALIBRATE = 3
DEFAULT_FLAG_SHARE = Decimal("0.30")


@dataclass(frozen=True)
class SubmittedReview:
    proposal_id: Hashable
    reviewer_id: Hashable
    scores: Mapping[Hashable, int]  # criterion id → integer score in 1..scale_max


@dataclass(frozen=True)
class ProposalEntry:
    proposal_id: Hashable
    reference: str


@dataclass(frozen=True)
class ScoringRules:
    """A call's scoring settings: criterion weights, the scale and the review plan."""

    weights: Mapping[Hashable, Decimal]  # criterion id → weight
    scale_max: int
    reviewers_per_proposal: int
    flag_share: Decimal = DEFAULT_FLAG_SHARE  # of the range scale_max − 1

    @property
    def flag_threshold(self) -> Decimal:
        return Decimal(self.flag_share) * (self.scale_max - 1)


@dataclass(frozen=True)
class CalibratedScore:
    """One review's raw and calibrated score, unrounded (for pages that show both)."""

    proposal_id: Hashable
    reviewer_id: Hashable
    weighted: Decimal
    calibrated: Decimal


@dataclass(frozen=True)
class RankingRow:
    proposal_id: Hashable
    reference: str
    n_reviews: int
    weighted_mean: Decimal | None
    normalised_score: Decimal | None
    spread: Decimal | None
    flagged: bool
    missing_reviews: int
    rank: int | None


def publish(value: Decimal) -> Decimal:
    """Two decimals, half-up, after snapping away the last digits' arithmetic noise."""
    with localcontext(prec=PRECISION):
        return value.quantize(SNAP).quantize(CENT, rounding=ROUND_HALF_UP)


def weighted_score(scores: Mapping, rules: ScoringRules) -> Decimal:
    """w = Σ(weight × score) / Σ weight; refuses a review that is not complete and in range."""
    if set(scores) != set(rules.weights):
        raise ValueError("A submitted review scores every criterion of the call, and only those.")
    for score in scores.values():
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= rules.scale_max:
            raise ValueError(f"Scores are integers from 1 to {rules.scale_max}.")
    total_weight = sum(Decimal(w) for w in rules.weights.values())
    if total_weight <= 0:
        raise ValueError("The criteria's weights must add up to more than zero.")
    return sum(Decimal(rules.weights[c]) * s for c, s in scores.items()) / total_weight


def _mean_and_std(values: Sequence[Decimal]) -> tuple[Decimal, Decimal]:
    """Mean and population standard deviation (DESIGN.md: divide by n, not n − 1)."""
    mean = sum(values) / len(values)
    return mean, (sum((v - mean) ** 2 for v in values) / len(values)).sqrt()


def calibrate(reviews: Iterable[SubmittedReview], rules: ScoringRules) -> list[CalibratedScore]:
    """Each review's w and clipped calibrated score c, in the order given."""
    reviews = list(reviews)
    with localcontext(prec=PRECISION):
        weighted = [weighted_score(r.scores, rules) for r in reviews]
        if not weighted:
            return []
        mean, std = _mean_and_std(weighted)
        by_reviewer = defaultdict(list)
        for review, w in zip(reviews, weighted):
            by_reviewer[review.reviewer_id].append(w)
        stats = {r: _mean_and_std(ws) for r, ws in by_reviewer.items()
                 if len(ws) >= MIN_REVIEWS_TO_CALIBRATE}
        scores = []
        for review, w in zip(reviews, weighted):
            r_mean, r_std = stats.get(review.reviewer_id, (None, Decimal(0)))
            c = mean + std * (w - r_mean) / r_std if r_std else w
            c = min(max(c, Decimal(1)), Decimal(rules.scale_max))
            scores.append(CalibratedScore(review.proposal_id, review.reviewer_id, w, c))
        return scores


def rank_proposals(proposals: Iterable[ProposalEntry], reviews: Iterable[SubmittedReview],
                   rules: ScoringRules) -> list[RankingRow]:
    """The ranking, best first; proposals without a submitted review last, unranked."""
    by_proposal = defaultdict(list)
    for score in calibrate(reviews, rules):
        by_proposal[score.proposal_id].append(score)
    rows = [_row(p, by_proposal.get(p.proposal_id, []), rules) for p in proposals]
    scored = sorted((r for r in rows if r.n_reviews),
                    key=lambda r: (-r.normalised_score, -r.weighted_mean, r.reference))
    unscored = sorted((r for r in rows if not r.n_reviews), key=lambda r: r.reference)
    ranked = [replace(row, rank=rank) for rank, row in enumerate(scored, start=1)]
    return ranked + unscored


def _row(proposal: ProposalEntry, scores: list[CalibratedScore], rules: ScoringRules) -> RankingRow:
    missing = max(0, rules.reviewers_per_proposal - len(scores))
    if not scores:
        return RankingRow(proposal.proposal_id, proposal.reference, 0, None, None, None,
                          False, missing, None)
    with localcontext(prec=PRECISION):
        weighted = [s.weighted for s in scores]
        weighted_mean = publish(sum(weighted) / len(weighted))
        normalised = publish(sum(s.calibrated for s in scores) / len(scores))
        spread = publish(max(weighted) - min(weighted))
    return RankingRow(proposal.proposal_id, proposal.reference, len(scores), weighted_mean,
                      normalised, spread, spread >= rules.flag_threshold, missing, None)

