"""The calibrated ranking (DESIGN.md "Ranking"), on cases computed by hand.

Shared by several cases: two criteria weighted 2 and 1, so w = (2 × s1 + s2) / 3, on a
scale of 1 to 5; the flag threshold is 0.30 × (5 − 1) = 1.20.
"""
from decimal import Decimal

import pytest

from unscar.decisions.ranking import (ProposalEntry, ScoringRules, SubmittedReview, calibrate,
                                    publish, rank_proposals)

RULES = ScoringRules(weights={"a": Decimal(2), "b": Decimal(1)}, scale_max=5, reviewers_per_proposal=1)
# Scores (s1, s2) giving each weighted score w with weights 2 and 1.
W = {1: (1, 1), 2: (1, 4), 3: (4, 1), 4: (5, 2), 5: (5, 5)}


def review(proposal, reviewer, w):
    s1, s2 = W[w]
    return SubmittedReview(proposal, reviewer, {"a": s1, "b": s2})


def entries(*ids):
    return [ProposalEntry(p, f"UNSCAR-2026-{p:04d}") for p in ids]


def by_id(rows):
    return {row.proposal_id: row for row in rows}


def harsh_and_lenient():
    """Harsh H scores proposals 1, 2, 3 at w = 1, 2, 3; lenient L scores 4, 5, 6 at 3, 4, 5.

    All six: μ = 3, σ² = (4+1+0+0+1+4)/6 = 5/3. Each reviewer: μ_H = 2, μ_L = 4,
    σ_r² = 2/3, so σ/σ_r = √(5/2) = 1.58113883... and
    c = 3 + 1.58113883 × (w − μ_r): 1.41886117, 3, 4.58113883 for both reviewers.
    """
    return [review(1, "H", 1), review(2, "H", 2), review(3, "H", 3),
            review(4, "L", 3), review(5, "L", 4), review(6, "L", 5)]


def test_harsh_and_lenient_reviewers_agree_once_calibrated():
    scores = {s.proposal_id: s.calibrated for s in calibrate(harsh_and_lenient(), RULES)}
    for harsh, lenient in ((1, 4), (2, 5), (3, 6)):
        assert abs(scores[harsh] - scores[lenient]) < Decimal("1e-40")
    rows = by_id(rank_proposals(entries(1, 2, 3, 4, 5, 6), harsh_and_lenient(), RULES))
    assert [rows[p].normalised_score for p in (1, 2, 3)] == [Decimal("1.42"), Decimal("3.00"), Decimal("4.58")]
    assert [rows[p].normalised_score for p in (4, 5, 6)] == [Decimal("1.42"), Decimal("3.00"), Decimal("4.58")]
    assert [rows[p].weighted_mean for p in (1, 4)] == [Decimal("1.00"), Decimal("3.00")]


def test_equal_calibrated_scores_are_ranked_by_weighted_mean():
    rows = rank_proposals(entries(1, 2, 3, 4, 5, 6), harsh_and_lenient(), RULES)
    # 4.58 (w 5 before w 3), then 3.00 (4 before 2), then 1.42 (3 before 1).
    assert [r.proposal_id for r in rows] == [6, 3, 5, 2, 4, 1]
    assert [r.rank for r in rows] == [1, 2, 3, 4, 5, 6]


def test_equal_scores_and_means_are_ranked_by_reference():
    reviews = [review(9, "X", 4), review(3, "Y", 4)]
    rows = rank_proposals(entries(9, 3), reviews, RULES)
    assert [r.reference for r in rows] == ["UNSCAR-2026-0003", "UNSCAR-2026-0009"]


def test_reviewer_with_fewer_than_three_reviews_keeps_raw_scores():
    """X (two reviews) keeps c = w; Y (three) is calibrated.

    All five: w = 1, 5, 2, 3, 4, μ = 3, σ² = (4+4+1+0+1)/5 = 2. Y: μ_Y = 3, σ_Y² = 2/3,
    so σ/σ_Y = √3 and c = 3 + 1.7320508 × (w − 3): 1.2679492, 3, 4.7320508.
    """
    reviews = [review(1, "X", 1), review(2, "X", 5), review(1, "Y", 2), review(2, "Y", 4), review(3, "Y", 3)]
    scores = {(s.proposal_id, s.reviewer_id): s.calibrated for s in calibrate(reviews, RULES)}
    assert scores[1, "X"] == 1 and scores[2, "X"] == 5
    rows = by_id(rank_proposals(entries(1, 2, 3), reviews, RULES))
    assert rows[1].weighted_mean == Decimal("1.50")
    assert rows[1].normalised_score == Decimal("1.13")  # (1 + 1.2679492) / 2 = 1.1339746
    assert rows[2].normalised_score == Decimal("4.87")  # (5 + 4.7320508) / 2 = 4.8660254
    assert rows[3].normalised_score == Decimal("3.00")
    assert (rows[1].spread, rows[1].flagged) == (Decimal("1.00"), False)


def test_reviewer_who_gives_one_score_to_all_keeps_it():
    """Z gives w = 3 three times (σ_Z = 0): c = w, though others vary."""
    reviews = [review(1, "Z", 3), review(2, "Z", 3), review(3, "Z", 3), review(4, "X", 1), review(5, "X", 5)]
    rows = by_id(rank_proposals(entries(1, 2, 3, 4, 5), reviews, RULES))
    assert [rows[p].normalised_score for p in (1, 2, 3)] == [Decimal("3.00")] * 3


def test_calibrated_scores_are_clipped_to_the_scale():
    """Y gives w = 3, 3, 4 (μ_Y = 10/3, σ_Y = √2/3); X gives 1 and 5 (kept).

    All five: μ = 3.2, σ² = 8.8/5 = 1.76, σ/σ_Y = 3√0.88 = 2.8142495.
    c(4) = 3.2 + 2.8142495 × 2/3 = 5.0761663 → 5; c(3) = 3.2 − 0.9380832 = 2.2619168.
    Mirrored, Y gives 2, 3, 3 with 1 and 5: c(2) = 2.8 − 1.8761663 = 0.9238337 → 1.
    """
    high = [review(1, "Y", 3), review(2, "Y", 3), review(3, "Y", 4), review(4, "X", 1), review(5, "X", 5)]
    rows = by_id(rank_proposals(entries(1, 2, 3, 4, 5), high, RULES))
    assert rows[3].normalised_score == Decimal("5.00")
    assert rows[1].normalised_score == Decimal("2.26")
    low = [review(1, "Y", 3), review(2, "Y", 3), review(3, "Y", 2), review(4, "X", 1), review(5, "X", 5)]
    rows = by_id(rank_proposals(entries(1, 2, 3, 4, 5), low, RULES))
    assert rows[3].normalised_score == Decimal("1.00")
    assert rows[1].normalised_score == Decimal("3.74")  # 2.8 + 0.9380832


def test_flag_at_exactly_thirty_percent_of_the_range():
    """Weights 3 and 2: w = (3 × s1 + 2 × s2) / 5, so (1, 1) → 1, (3, 1) → 2.2, (2, 2) → 2."""
    rules = ScoringRules(weights={"a": Decimal(3), "b": Decimal(2)}, scale_max=5, reviewers_per_proposal=2)
    reviews = [SubmittedReview(1, "P", {"a": 1, "b": 1}), SubmittedReview(1, "Q", {"a": 3, "b": 1}),
               SubmittedReview(2, "P", {"a": 1, "b": 1}), SubmittedReview(2, "Q", {"a": 2, "b": 2})]
    rows = by_id(rank_proposals(entries(1, 2), reviews, rules))
    assert (rows[1].spread, rows[1].flagged) == (Decimal("1.20"), True)
    assert (rows[2].spread, rows[2].flagged) == (Decimal("1.00"), False)
    stricter = ScoringRules(rules.weights, 5, 2, flag_share=Decimal("0.25"))
    assert by_id(rank_proposals(entries(1, 2), reviews, stricter))[2].flagged


def test_missing_reviews_and_proposals_without_reviews():
    rules = ScoringRules(RULES.weights, scale_max=5, reviewers_per_proposal=3)
    reviews = [review(1, "A", 4), review(1, "B", 4), review(2, "A", 2), review(2, "B", 2),
               review(2, "C", 2), review(2, "D", 2)]
    rows = rank_proposals(entries(7, 2, 1), reviews, rules)
    assert [(r.proposal_id, r.n_reviews, r.missing_reviews, r.rank) for r in rows] == [
        (1, 2, 1, 1), (2, 4, 0, 2), (7, 0, 3, None)]
    unreviewed = rows[-1]
    assert (unreviewed.weighted_mean, unreviewed.normalised_score, unreviewed.spread,
            unreviewed.flagged) == (None, None, None, False)


def test_published_values_round_half_up_exactly():
    """Weights 13 and 7: w = 53/20 = 2.65 and 54/20 = 2.70; the mean is exactly 2.675.

    Float arithmetic gives 2.67499999999999982 and rounds to 2.67; DESIGN's two decimals
    with half-up rounding give 2.68.
    """
    rules = ScoringRules(weights={"a": Decimal(13), "b": Decimal(7)}, scale_max=5, reviewers_per_proposal=2)
    reviews = [SubmittedReview(1, "P", {"a": 3, "b": 2}), SubmittedReview(1, "Q", {"a": 2, "b": 4})]
    row = rank_proposals(entries(1), reviews, rules)[0]
    assert row.weighted_mean == Decimal("2.68")
    assert round((2.65 + 2.70) / 2, 2) == 2.67  # what a float implementation would publish
    assert publish(Decimal("2.125")) == Decimal("2.13")
    assert publish(Decimal("2.67499999999999999999999999999999999999")) == Decimal("2.68")


def test_rank_uses_the_published_values():
    """Weights 67 and 33: (1, 1) → 1.00, (1, 2) → 1.33, (2, 1) → 1.67.

    Proposal 2's mean is 4/3 = 1.3333..., proposal 1's is 1.33; both publish as 1.33, so
    the reference decides, as a reader of the table would expect. Unrounded values would
    have put proposal 2 first. Every reviewer has fewer than 3 reviews: c = w.
    """
    rules = ScoringRules(weights={"a": Decimal(67), "b": Decimal(33)}, scale_max=5, reviewers_per_proposal=1)
    reviews = [SubmittedReview(2, "P", {"a": 1, "b": 1}), SubmittedReview(2, "Q", {"a": 1, "b": 2}),
               SubmittedReview(2, "R", {"a": 2, "b": 1}), SubmittedReview(1, "S", {"a": 1, "b": 2})]
    rows = rank_proposals(entries(2, 1), reviews, rules)
    assert [(r.proposal_id, r.normalised_score, r.weighted_mean) for r in rows] == [
        (1, Decimal("1.33"), Decimal("1.33")), (2, Decimal("1.33"), Decimal("1.33"))]


@pytest.mark.parametrize("scores", [{"a": 0, "b": 3}, {"a": 6, "b": 3}, {"a": 3}, {"a": 3, "b": 3, "c": 3},
                                    {"a": 2.5, "b": 3}, {"a": True, "b": 3}])
def test_incomplete_or_out_of_range_scores_are_refused(scores):
    with pytest.raises(ValueError):
        calibrate([SubmittedReview(1, "P", scores)], RULES)
