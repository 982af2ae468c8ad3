"""Automatic reviewer assignment: the optimisation core, without database or Flask.

`assign()` takes plain `ReviewerInfo` and `ProposalInfo` values, the number of reviewers
each proposal needs and the active assignments to keep; it returns the new pairs, the
proposals left short and the expertise match gained. `eligible()` and `match()` are the
rules of DESIGN.md ("Reviewer profile", "Assignment"), reused by manual assignment.

Priorities, strictly in this order (lexicographic; a lower one never buys a higher one):

1. Coverage. Reviewers have no capacity, so proposal p can take
   take_p = min(need_p, eligible reviewers not already on it), and every solution
   gives it exactly that many; `short` lists the proposals where take_p < need_p, with
   the difference. This is the maximum coverage any assignment reaches.
2. Balance: the sum over the given reviewers of load² (load = kept + new pairs) is
   minimal. Consequences: (a) on a first run, loads differ by at most one whenever any
   assignment of maximum coverage allows it (a spread of two or more has a strictly
   larger sum of squares than any within-one vector of the same total); (b) always,
   and on a later run in particular, every new pair went to a reviewer who, counting all
   the other pairs, was among the least-loaded reviewers eligible for that gap: if an
   eligible b had final load ≤ load_a − 2, moving the gap from a to b would lower the
   sum of squares by at least 2. When eligibility rules out a within-one spread, (b)
   holds, and the highest load is the lowest and the lowest load the highest that
   maximum coverage allows (same exchange argument, along an alternating path).
3. Match: among the assignments optimal for 1 and 2, the total expertise match of the
   new pairs is the highest.

API.md asks a later run to fill "each gap with the least-loaded eligible reviewer".
Read literally, gap by gap, the answer depends on the order of the gaps and ignores
expertise. Priority 2 is that rule made order-free: load decides first, so each gap
goes to a reviewer that was least-loaded among its eligible ones (property b), and the
match only chooses among reviewers that are equally placed. A first run is the same
computation with nothing kept, which is why one formulation serves both.

Formulation (exact, no heuristics): a min-cost flow, source → proposal p (exactly
take_p units) → reviewer r (one unit per eligible pair, cost −match) → sink through
unit "steps" j = 1, 2, … of cost W·(2(kept_r + j) − 1), the increase of load² when r's
load reaches kept_r + j. The step costs rise, so a reviewer's steps fill in order and
their total is W·Σ(load² − kept²). W = 1 + (largest total match possible) separates the
levels: one unit of load² outweighs any difference in match. The constraint matrix is
a network matrix, hence totally unimodular, so the vertex that HiGHS's dual simplex
returns is integral and is the optimum over integral assignments. Steps per reviewer
stop at the lowest peak load U* that full coverage allows (found by bisection on
scipy's maximum_flow); the optimum never exceeds it, since minimising Σload² also
minimises the highest load (moving a unit along an alternating path from a reviewer
above U* to one below it lowers Σload²), and it keeps the programme small.
"""
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.optimize import linprog
from scipy.sparse.csgraph import maximum_flow

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class ReviewerInfo:
    id: int
    themes: Collection[str] = ()
    regions: Collection[str] = ()
    languages: Collection[str] = ()  # none given: English (DESIGN.md)
    organisation_ids: Collection[int] = ()  # its own and every linked organisation
    conflicted_proposal_ids: Collection[int] = ()
    declined_proposal_ids: Collection[int] = ()


@dataclass(frozen=True)
class ProposalInfo:
    id: int
    organisation_id: int
    language: str
    themes: Collection[str] = ()
    regions: Collection[str] = ()


@dataclass
class AssignmentResult:
    new_pairs: list[tuple[int, int]] = field(default_factory=list)  # (reviewer_id, proposal_id)
    short: list[tuple[int, int]] = field(default_factory=list)  # (proposal_id, missing)
    total_match: int = 0  # of the new pairs
    loads: dict[int, int] = field(default_factory=dict)  # reviewer_id → kept + new pairs


def languages_read(reviewer: ReviewerInfo) -> set[str]:
    return set(reviewer.languages) or {DEFAULT_LANGUAGE}


def eligible(reviewer: ReviewerInfo, proposal: ProposalInfo) -> bool:
    """Whether the reviewer may review the proposal: not one of its own or a linked
    organisation's, not one it declared a conflict with or declined, and written in a
    language it reads."""
    return (proposal.organisation_id not in reviewer.organisation_ids
            and proposal.id not in reviewer.conflicted_proposal_ids
            and proposal.id not in reviewer.declined_proposal_ids
            and proposal.language in languages_read(reviewer))


def match(reviewer: ReviewerInfo, proposal: ProposalInfo) -> int:
    """Shared themes, plus one if a proposal region is among the reviewer's regions."""
    shared = len(set(reviewer.themes) & set(proposal.themes))
    return shared + (1 if set(reviewer.regions) & set(proposal.regions) else 0)


def assign(reviewers: list[ReviewerInfo], proposals: list[ProposalInfo], per_proposal: int,
           existing: Iterable[tuple[int, int]] = ()) -> AssignmentResult:
    """Give each proposal `per_proposal` active reviewers, keeping the `existing`
    (reviewer_id, proposal_id) pairs and adding only new, eligible ones, under the
    priorities of the module docstring. Kept pairs count towards a proposal's reviewers
    whoever the reviewer is, and towards the load of the reviewers given; pairs of
    proposals not given are ignored. Raises ValueError on a negative count or ids given
    twice."""
    if per_proposal < 0:
        raise ValueError("per_proposal must not be negative")
    r_index, p_index = _index(reviewers), _index(proposals)
    ok = eligibility_matrix(reviewers, proposals)
    kept, have = _kept(existing, r_index, p_index)
    ok[kept[:, 0], kept[:, 1]] = False  # a kept pair is never added twice
    need = np.maximum(per_proposal - have, 0)
    take = np.minimum(need, ok.sum(axis=0))
    load = np.bincount(kept[:, 0], minlength=len(reviewers))
    short = [(p.id, int(n - t)) for p, n, t in zip(proposals, need, take) if n > t]
    ok &= take[None, :] > 0
    if not ok.any():
        return AssignmentResult([], short, 0, _loads(reviewers, load))
    p_of, r_of = np.nonzero(ok.T)  # candidate pairs, in proposal order
    gain = match_matrix(reviewers, proposals)[r_of, p_of]
    chosen = _solve(r_of, p_of, gain, take, load, len(reviewers))
    load = load + np.bincount(r_of[chosen], minlength=len(reviewers))
    pairs = [(reviewers[r].id, proposals[p].id) for r, p in zip(r_of[chosen], p_of[chosen])]
    return AssignmentResult(pairs, short, int(gain[chosen].sum()), _loads(reviewers, load))


def eligibility_matrix(reviewers: list[ReviewerInfo], proposals: list[ProposalInfo]) -> np.ndarray:
    """eligible() for every pair at once, as a reviewers × proposals boolean array."""
    languages = _vocabulary([languages_read(r) for r in reviewers] + [[p.language] for p in proposals])
    reads = _indicator([languages_read(r) for r in reviewers], languages)
    ok = reads[:, [languages[p.language] for p in proposals]]
    organisations = _vocabulary([[p.organisation_id] for p in proposals])
    linked = _indicator([r.organisation_ids for r in reviewers], organisations)
    ok &= ~linked[:, [organisations[p.organisation_id] for p in proposals]]
    p_index = _index(proposals)
    for i, r in enumerate(reviewers):
        barred = set(r.conflicted_proposal_ids) | set(r.declined_proposal_ids)
        ok[i, [p_index[pid] for pid in barred if pid in p_index]] = False
    return ok


def match_matrix(reviewers: list[ReviewerInfo], proposals: list[ProposalInfo]) -> np.ndarray:
    """match() for every pair at once, as a reviewers × proposals integer array."""
    themes = _vocabulary([r.themes for r in reviewers] + [p.themes for p in proposals])
    regions = _vocabulary([r.regions for r in reviewers] + [p.regions for p in proposals])
    shared = (_indicator([r.themes for r in reviewers], themes).astype(np.int64)
              @ _indicator([p.themes for p in proposals], themes).T.astype(np.int64))
    region_hit = (_indicator([r.regions for r in reviewers], regions).astype(np.int64)
                  @ _indicator([p.regions for p in proposals], regions).T.astype(np.int64)) > 0
    return shared + region_hit


def _index(items) -> dict[int, int]:
    index = {item.id: i for i, item in enumerate(items)}
    if len(index) != len(items):
        raise ValueError("the same id is given twice")
    return index


def _vocabulary(collections) -> dict:
    return {key: i for i, key in enumerate(sorted({k for c in collections for k in c}, key=repr))}


def _indicator(collections, vocabulary: dict) -> np.ndarray:
    """Rows of a boolean membership matrix; keys outside the vocabulary are dropped
    (a link to an organisation with no proposal here cannot bar anything)."""
    matrix = np.zeros((len(collections), len(vocabulary)), dtype=bool)
    for i, keys in enumerate(collections):
        matrix[i, [vocabulary[k] for k in keys if k in vocabulary]] = True
    return matrix


def _kept(existing, r_index, p_index) -> tuple[np.ndarray, np.ndarray]:
    """The kept pairs among given reviewers as (reviewer, proposal) positions, and how
    many kept reviewers (given or not) each proposal has."""
    have = np.zeros(len(p_index), dtype=np.int64)
    kept = []
    for reviewer_id, proposal_id in set(existing):
        if proposal_id in p_index:
            have[p_index[proposal_id]] += 1
            if reviewer_id in r_index:
                kept.append((r_index[reviewer_id], p_index[proposal_id]))
    return np.array(kept, dtype=np.int64).reshape(-1, 2), have


def _loads(reviewers, load) -> dict[int, int]:
    return {r.id: int(n) for r, n in zip(reviewers, load)}


def _solve(r_of, p_of, gain, take, load, n) -> np.ndarray:
    """The min-cost flow of the module docstring as a linear programme; returns a
    boolean mask over the candidate pairs."""
    k, m = len(r_of), len(take)
    peak = _lowest_peak(r_of, p_of, take, load, n)
    step_owner, step_cost = _steps(r_of, load, peak, 1 + int(take.sum()) * int(gain.max()), n)
    # Rows: proposals (exactly take_p), then reviewers (pairs − steps = 0).
    rows = np.concatenate([p_of, m + r_of, m + step_owner])
    cols = np.concatenate([np.arange(k), np.arange(k), k + np.arange(len(step_owner))])
    values = np.concatenate([np.ones(2 * k), -np.ones(len(step_owner))])
    a_eq = sparse.csr_array((values, (rows, cols)), shape=(m + n, k + len(step_owner)))
    b_eq = np.concatenate([take, np.zeros(n)])
    # Presolve finds little to remove in a network and costs time; devex pricing took
    # fewer iterations than HiGHS's default on the benchmark.
    options = {"presolve": False, "simplex_dual_edge_weight_strategy": "devex"}
    result = linprog(np.concatenate([-gain, step_cost]), A_eq=a_eq, b_eq=b_eq, bounds=(0, 1),
                     method="highs-ds", options=options)
    # Neither can happen (the peak was checked to be reachable; the matrix is TU), but
    # a wrong answer here would silently assign the wrong people.
    if result.status != 0 or np.abs(result.x - np.round(result.x)).max() > 1e-6:
        raise RuntimeError(f"assignment programme not solved exactly: {result.message}")
    return result.x[:k] > 0.5


def _steps(r_of, load, peak, weight, n) -> tuple[np.ndarray, np.ndarray]:
    """Owner and cost of the unit steps reviewer → sink: step j of reviewer r costs
    weight·(2(load_r + j) − 1), the growth of load² it causes, for j up to peak − load_r
    (and no more than r's candidate pairs)."""
    count = np.minimum(np.bincount(r_of, minlength=n), np.maximum(peak - load, 0))
    owner = np.repeat(np.arange(n), count)
    rank = np.arange(len(owner)) - np.repeat(np.cumsum(count) - count, count) + 1
    return owner, weight * (2 * (load[owner] + rank) - 1)


def _lowest_peak(r_of, p_of, take, load, n) -> int:
    """U*: the smallest highest load (kept + new) that still lets every proposal take
    its take_p reviewers; bisection over maximum-flow checks."""
    total = int(take.sum())
    low = int(load.min())
    while np.maximum(low - load, 0).sum() < total:  # no flow below this, so skip the check
        low += max(1, (total - int(np.maximum(low - load, 0).sum())) // n)
    if _max_flow(r_of, p_of, take, np.maximum(low - load, 0), n) == total:
        return low  # the usual case: the even share is reachable
    low, high = low + 1, int(load.max()) + total  # at high, any reviewer could take all
    while low < high:
        middle = (low + high) // 2
        if _max_flow(r_of, p_of, take, np.maximum(middle - load, 0), n) == total:
            high = middle
        else:
            low = middle + 1
    return low


def _max_flow(r_of, p_of, take, capacity, n) -> int:
    """The maximum flow source → proposal (take_p) → reviewer → sink (capacity_r)."""
    m = len(take)
    source, sink = m + n, m + n + 1
    tails = np.concatenate([np.full(m, source), p_of, m + np.arange(n)])
    heads = np.concatenate([np.arange(m), m + r_of, np.full(n, sink)])
    caps = np.concatenate([take, np.ones(len(p_of), dtype=np.int64), capacity]).astype(np.int32)
    graph = sparse.csr_array((caps, (tails, heads)), shape=(m + n + 2, m + n + 2))
    return int(maximum_flow(graph, source, sink).flow_value)
