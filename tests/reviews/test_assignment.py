"""Automatic reviewer assignment (unscar/reviews/assignment.py), as plain functions.

The optimiser is checked against exhaustive enumeration on small random cases; the
priorities compared are those of the module: coverage, then the sum of squared loads,
then the total expertise match.
"""
import itertools
import math
import random
from collections import Counter

import numpy as np
import pytest

from unscar.reviews.assignment import (
    ProposalInfo,
    ReviewerInfo,
    assign,
    eligibility_matrix,
    eligible,
    match,
    match_matrix,
)

THEMES = ["legislation", "reporting", "border_control", "stockpile_management"]
REGIONS = ["Africa", "Americas", "Asia"]


def random_case(rng: random.Random):
    def some(keys, most):
        return set(rng.sample(keys, rng.randint(0, most)))
    reviewers = [ReviewerInfo(
        id=100 + i, themes=some(THEMES, 3), regions=some(REGIONS, 2),
        languages=rng.choice([set(), {"en"}, {"fr"}, {"en", "fr"}]),
        organisation_ids=some([1, 2, 3, 4, 5, 6], 1),
        conflicted_proposal_ids=some(list(range(5)), 1), declined_proposal_ids=some(list(range(5)), 1),
    ) for i in range(rng.randint(3, 5))]
    proposals = [ProposalInfo(
        id=i, organisation_id=rng.randint(1, 6), language=rng.choice(["en", "en", "fr"]),
        themes=some(THEMES, 3) or {"reporting"}, regions=some(REGIONS, 2),
    ) for i in range(rng.randint(3, 5))]
    per_proposal = rng.randint(1, 2)
    existing = []
    if rng.random() < 0.4:  # a later run: some pairs are kept, eligible or not
        existing = rng.sample([(r.id, p.id) for r in reviewers for p in proposals], rng.randint(1, 4))
    return reviewers, proposals, per_proposal, existing


def brute_force(reviewers, proposals, per_proposal, existing):
    """Every assignment, enumerated: the best (coverage, −Σload², match), and among
    those of maximum coverage the smallest spread, lowest peak and highest floor of
    the loads."""
    kept = set(existing)
    base = np.array([sum((r.id, p.id) in kept for p in proposals) for r in reviewers])
    coverage, matches, loads = np.zeros(1, int), np.zeros(1, int), base[None, :]
    for p in proposals:
        need = max(0, per_proposal - sum(pid == p.id for _, pid in kept))
        free = [i for i, r in enumerate(reviewers) if eligible(r, p) and (r.id, p.id) not in kept]
        options = [c for size in range(need + 1) for c in itertools.combinations(free, size)]
        delta = np.array([[i in c for i in range(len(reviewers))] for c in options], int)
        gains = np.array([sum(match(reviewers[i], p) for i in c) for c in options], int)
        coverage = (coverage[:, None] + delta.sum(axis=1)[None, :]).ravel()
        matches = (matches[:, None] + gains[None, :]).ravel()
        loads = (loads[:, None, :] + delta[None, :, :]).reshape(-1, len(reviewers))
    squares = (loads ** 2).sum(axis=1)
    full = coverage == coverage.max()
    least = full & (squares == squares[full].min())
    best = (int(coverage.max()), -int(squares[full].min()), int(matches[least].max()))
    peaks, floors = loads[full].max(axis=1), loads[full].min(axis=1)
    return best, int((peaks - floors).min()), int(peaks.min()), int(floors.max())


def key_of(result, reviewers, proposals):
    by_id = {p.id: p for p in proposals}
    reviewer = {r.id: r for r in reviewers}
    gained = sum(match(reviewer[r], by_id[p]) for r, p in result.new_pairs)
    assert gained == result.total_match
    return len(result.new_pairs), -sum(n * n for n in result.loads.values()), gained


def assert_least_loaded(result, reviewers, proposals, existing):
    """Every new pair went to a reviewer who, all other pairs counted, was among the
    least-loaded reviewers eligible for that gap."""
    on = set(existing) | set(result.new_pairs)
    by_id = {p.id: p for p in proposals}
    for a, pid in result.new_pairs:
        for b in reviewers:
            if eligible(b, by_id[pid]) and (b.id, pid) not in on:
                assert result.loads[b.id] >= result.loads[a] - 1


@pytest.mark.parametrize("seed", range(120))
def test_optimiser_equals_brute_force_on_small_random_cases(seed):
    reviewers, proposals, per_proposal, existing = random_case(random.Random(seed))
    result = assign(reviewers, proposals, per_proposal, existing)
    best, smallest_spread, lowest_peak, highest_floor = brute_force(
        reviewers, proposals, per_proposal, existing)
    assert key_of(result, reviewers, proposals) == best
    loads = result.loads.values()
    assert (max(loads), min(loads)) == (lowest_peak, highest_floor)
    if not existing and smallest_spread <= 1:
        assert max(loads) - min(loads) <= 1
    assert_least_loaded(result, reviewers, proposals, existing)
    assert not set(result.new_pairs) & set(existing)


def greedy_total(reviewers, proposals, per_proposal):
    """Each proposal in turn takes its best-matching reviewers still under the even cap."""
    cap = math.ceil(len(proposals) * per_proposal / len(reviewers))
    load, total = Counter(), 0
    for p in proposals:
        free = [r for r in reviewers if eligible(r, p) and load[r.id] < cap]
        for r in sorted(free, key=lambda r: -match(r, p))[:per_proposal]:
            load[r.id] += 1
            total += match(r, p)
    return total


def test_greedy_does_worse_than_the_optimiser():
    wide = ReviewerInfo(1, themes={"legislation", "reporting", "border_control"})
    narrow = ReviewerInfo(2, themes={"legislation"})
    first = ProposalInfo(10, organisation_id=7, language="en", themes={"legislation", "reporting"})
    second = ProposalInfo(11, organisation_id=8, language="en", themes={"reporting", "border_control"})
    # Greedy gives `first` to the wide reviewer (2) and must leave `second` to the
    # narrow one (0); swapping them scores 1 + 2.
    assert greedy_total([wide, narrow], [first, second], 1) == 2
    result = assign([wide, narrow], [first, second], 1)
    assert result.total_match == 3
    assert sorted(result.new_pairs) == [(1, 11), (2, 10)]


ANYONE = ReviewerInfo(1, languages={"en", "fr"}, organisation_ids={50, 51})
PROPOSAL = ProposalInfo(9, organisation_id=60, language="en")


@pytest.mark.parametrize("reviewer, proposal", [
    (ANYONE, ProposalInfo(9, organisation_id=50, language="en")),  # its own organisation
    (ANYONE, ProposalInfo(9, organisation_id=51, language="en")),  # a linked organisation
    (ReviewerInfo(1, conflicted_proposal_ids={9}), PROPOSAL),
    (ReviewerInfo(1, declined_proposal_ids={9}), PROPOSAL),
    (ANYONE, ProposalInfo(9, organisation_id=60, language="ar")),
    (ReviewerInfo(1), ProposalInfo(9, organisation_id=60, language="fr")),  # English assumed
])
def test_ineligible_reviewer_is_never_assigned(reviewer, proposal):
    assert not eligible(reviewer, proposal)
    result = assign([reviewer], [proposal], 1)
    assert result.new_pairs == [] and result.short == [(9, 1)]


def test_reviewer_without_languages_reads_english():
    assert eligible(ReviewerInfo(1), PROPOSAL)
    assert eligible(ANYONE, PROPOSAL)
    assert assign([ReviewerInfo(1)], [PROPOSAL], 1).new_pairs == [(1, 9)]


@pytest.mark.parametrize("seed", range(20))
def test_matrices_agree_with_the_rules_pair_by_pair(seed):
    reviewers, proposals, _, _ = random_case(random.Random(seed))
    ok, gain = eligibility_matrix(reviewers, proposals), match_matrix(reviewers, proposals)
    for (i, r), (j, p) in itertools.product(enumerate(reviewers), enumerate(proposals)):
        assert ok[i, j] == eligible(r, p) and gain[i, j] == match(r, p)


def test_match_counts_shared_themes_and_one_for_a_shared_region():
    reviewer = ReviewerInfo(1, themes={"legislation", "reporting"}, regions={"Africa", "Asia"})
    proposal = ProposalInfo(2, 3, "en", themes={"reporting", "legislation", "border_control"},
                            regions={"Africa", "Asia"})
    assert match(reviewer, proposal) == 3


def panel(count, **profile):
    return [ReviewerInfo(100 + i, **profile) for i in range(count)]


def calls_proposals(count, rng):
    return [ProposalInfo(i, organisation_id=i, language="en", themes=set(rng.sample(THEMES, 2)),
                         regions={rng.choice(REGIONS)}) for i in range(count)]


@pytest.mark.parametrize("n_proposals, n_reviewers", [(40, 7), (41, 6), (9, 12)])
def test_first_run_loads_differ_by_at_most_one(n_proposals, n_reviewers):
    rng = random.Random(n_proposals)
    reviewers = [ReviewerInfo(100 + i, themes=set(rng.sample(THEMES, 2))) for i in range(n_reviewers)]
    result = assign(reviewers, calls_proposals(n_proposals, rng), 3)
    assert result.short == [] and len(result.new_pairs) == 3 * n_proposals
    assert max(result.loads.values()) - min(result.loads.values()) <= 1


def test_when_eligibility_forbids_balance_coverage_still_comes_first():
    # Only reviewer 100 reads French, so it takes all six French proposals.
    reviewers = [ReviewerInfo(100, languages={"fr", "en"})] + panel(3, languages={"en"})[1:]
    proposals = [ProposalInfo(i, i, "fr") for i in range(6)] + [ProposalInfo(i, i, "en") for i in range(6, 8)]
    result = assign(reviewers, proposals, 1)
    assert result.short == [] and result.loads == {100: 6, 101: 1, 102: 1}


def test_later_run_keeps_existing_pairs_and_fills_only_the_gaps():
    rng = random.Random(7)
    reviewers, proposals = panel(5), calls_proposals(6, rng)
    existing = [(100, 0), (101, 0), (102, 0), (100, 1), (100, 2), (999, 3)]  # 999 has left the panel
    result = assign(reviewers, proposals, 3, existing)
    assert not set(result.new_pairs) & set(existing)
    per = Counter(pid for _, pid in existing + result.new_pairs)
    assert all(per[p.id] == 3 for p in proposals) and result.short == []
    assert len(result.new_pairs) == 18 - len(existing)
    # 100 starts with three, 103 and 104 with none: the gaps even the loads out.
    assert sorted(result.loads.values()) == [3, 3, 3, 4, 4]
    assert_least_loaded(result, reviewers, proposals, existing)
    again = assign(reviewers, proposals, 3, existing + result.new_pairs)
    assert again.new_pairs == [] and again.short == []


def test_too_few_eligible_reviewers_names_the_short_proposals():
    reviewers = [ReviewerInfo(100, languages={"fr"}), ReviewerInfo(101),
                 ReviewerInfo(102, organisation_ids={5})]
    proposals = [ProposalInfo(1, 5, "en"), ProposalInfo(2, 6, "fr"), ProposalInfo(3, 7, "en")]
    result = assign(reviewers, proposals, 2)
    assert result.short == [(1, 1), (2, 1)]
    assert sorted(result.new_pairs) == [(100, 2), (101, 1), (101, 3), (102, 3)]


def test_no_proposals():
    result = assign(panel(2), [], 3)
    assert result.new_pairs == [] and result.short == [] and result.loads == {100: 0, 101: 0}


def test_no_reviewers():
    result = assign([], [ProposalInfo(1, 5, "en"), ProposalInfo(2, 6, "en")], 2, [(7, 2)])
    assert result.new_pairs == [] and result.short == [(1, 2), (2, 1)] and result.total_match == 0


def test_more_reviewers_wanted_than_the_panel_has():
    result = assign(panel(2), [ProposalInfo(1, 5, "en"), ProposalInfo(2, 6, "en")], 3)
    assert sorted(result.new_pairs) == [(100, 1), (100, 2), (101, 1), (101, 2)]
    assert result.short == [(1, 1), (2, 1)]


def test_zero_reviewers_per_proposal_assigns_nothing():
    assert assign(panel(2), [ProposalInfo(1, 5, "en")], 0).new_pairs == []


@pytest.mark.parametrize("reviewers, proposals, per_proposal", [
    (panel(1), [ProposalInfo(1, 5, "en")], -1),
    (panel(1) * 2, [ProposalInfo(1, 5, "en")], 1),
    (panel(1), [ProposalInfo(1, 5, "en")] * 2, 1),
])
def test_bad_input_is_refused(reviewers, proposals, per_proposal):
    with pytest.raises(ValueError):
        assign(reviewers, proposals, per_proposal)


def test_balance_comes_before_expertise():
    # The French reader must take four; of the other two, the expert would gain 3 a
    # proposal but the loads stay even.
    french = ReviewerInfo(1, languages={"fr"})
    expert = ReviewerInfo(2, themes={"legislation", "reporting"}, regions={"Asia"})
    english = [ProposalInfo(i, i, "en", themes={"legislation", "reporting"}, regions={"Asia"})
               for i in range(4)]
    proposals = english + [ProposalInfo(i, i, "fr") for i in range(4, 8)]
    result = assign([french, expert, ReviewerInfo(3)], proposals, 1)
    assert result.loads == {1: 4, 2: 2, 3: 2} and result.total_match == 6
