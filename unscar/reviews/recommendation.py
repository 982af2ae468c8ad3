"""The funding recommendation (DESIGN.md "Recommendation"), solved exactly, without database or Flask.

`recommend(candidates, cap, min_score=, min_share=)` takes the ranked proposals, best
first, and returns the set with the highest total value (each proposal's published
two-decimal score) among those with all their reviews submitted and a value of at least
min_score, whose requests fit in `cap` (the envelope, or the smaller of it and the fund's
available balance: the caller decides), and in which each min_share key ("region:Africa",
"theme:gender_and_children") holds at least its share of the selected money; a proposal
counts in full for each of its regions and themes.

Why the optimum is exact: the data are integers (cents, hundredths, a share p/q as the
row q × money(key) − p × money(all) ≥ 0) whose row sums stay below 2**53, so doubles
hold them exactly; scipy's milp (HiGHS) runs on binaries with mip_rel_gap=0 and only a
proven optimum is accepted; each row bound sits half a unit outside its integer bound,
so a solver tolerance under half a cent neither admits a set that breaks a rule nor cuts
off one that keeps it; and the answer is checked again in Python integers.

Ties, lexicographic: the highest total value, then the least money (the rest stays in
the fund), then the smallest sum of positions 1, 2, 3, ... in the order given (between
equal proposals the better-ranked one wins): three MILPs, each keeping the optima of the
one before. Speed: before each, a Lagrangian bound from the LP's duals, in exact integer
arithmetic, settles every proposal whose place is the same in all sets at least as good
as a known one (`_lp_bound`, `_settle`; the first known set comes from a small MILP over
the proposals the LP is least sure of), so the MILPs see tens of proposals, not thousands.

Explanation: a constraint binds when adding some left-out proposal to the selection
would break it or, for a share, when the selection holds exactly the minimum. Each
left-out proposal gets every constraint that adding it would break; optimality is what
lets the text add that no exchange with selected proposals gives a higher total.
"""
import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

from ..errors import ValidationFailed
from ..money import round_cents
from ..regions import REGIONS
from ..vocabulary import THEME_LABELS

OBJECTIVES = ("normalised_score", "weighted_mean")
SHARE_KINDS = {"region": frozenset(REGIONS), "theme": frozenset(THEME_LABELS)}
SHARE_DECIMALS = 4  # keeps q in q × money(key) − p × money(all) small enough to stay exact
EXACT_LIMIT = 2**53
CORE_SIZE = 30  # proposals in the first, small MILP that finds a set to beat
# HiGHS's presolve settles tiny MILPs at once but slows down those of tens of proposals.
PRESOLVE_UP_TO = 40


@dataclass(frozen=True)
class Candidate:
    """A ranked proposal as the recommendation sees it; `value` is its published objective."""

    proposal_id: Hashable
    reference: str
    requested_usd: Decimal
    value: Decimal | None
    regions: frozenset = frozenset()
    themes: frozenset = frozenset()
    missing_reviews: int = 0

    @property
    def share_keys(self) -> frozenset:
        return frozenset({f"region:{r}" for r in self.regions} | {f"theme:{t}" for t in self.themes})


@dataclass(frozen=True)
class LeftOut:
    proposal_id: Hashable
    reason: str


@dataclass(frozen=True)
class Recommendation:
    selected_ids: tuple  # in the order the candidates were given
    total_usd: Decimal
    total_score: Decimal
    cap_usd: Decimal
    binding: tuple  # "cap", "min_score", "min_share.<key>"
    shares: dict  # min_share key → share of the selected money held, four decimals
    left_out: tuple  # LeftOut, in the order given
    text: str


class InvalidShares(ValidationFailed):
    """min_share has a key outside the vocabulary or a share outside (0, 1]."""


class InfeasibleConstraints(ValidationFailed):
    """Only the empty selection meets these constraints, yet a proposal fits the cap without them."""

    def __init__(self, constraints: list):
        self.constraints = constraints
        super().__init__(f"Only an empty selection meets {', '.join(constraints)}; without them "
                         "at least one proposal fits the cap.",
                         errors={name: ["Only an empty selection meets this."] for name in constraints})


class SolverFailure(RuntimeError):
    """The solver did not prove an optimum, or its answer failed the exact check."""


def candidate_from_row(row, requested_usd: Decimal, regions=(), themes=(),
                       objective: str = "normalised_score") -> Candidate:
    """A Candidate from a ranking.RankingRow and the proposal's money, regions and themes."""
    if objective not in OBJECTIVES:
        raise ValueError(f"The objective is one of {', '.join(OBJECTIVES)}.")
    return Candidate(row.proposal_id, row.reference, requested_usd, getattr(row, objective),
                     frozenset(regions), frozenset(themes), row.missing_reviews)


def parse_shares(min_share: Mapping | None) -> dict:
    """min_share checked: vocabulary keys, shares in (0, 1] with at most four decimals."""
    shares, errors = {}, {}
    for key, raw in (min_share or {}).items():
        kind, _, name = str(key).partition(":")
        share = _as_share(raw)
        if name not in SHARE_KINDS.get(kind, ()):
            errors[f"min_share.{key}"] = ["Use region:<M49 region> or theme:<theme key>."]
        elif share is None:
            errors[f"min_share.{key}"] = ["A share is above 0 and at most 1, with at most four decimals."]
        else:
            shares[key] = share
    if errors:
        raise InvalidShares("Some minimum shares are not valid.", errors=errors)
    return shares


def _as_share(raw) -> Decimal | None:
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str, Decimal)):
        return None
    try:
        share = Decimal(repr(raw) if isinstance(raw, float) else str(raw))
    except InvalidOperation:
        return None
    if not share.is_finite() or not 0 < share <= 1 or (share * 10**SHARE_DECIMALS) % 1:
        return None
    return share


def recommend(candidates: Iterable[Candidate], cap: Decimal, *, min_score: Decimal | None = None,
              min_share: Mapping | None = None) -> Recommendation:
    """The exact optimum and its explanation; candidates come best first.

    Raises InvalidShares for a bad min_share and InfeasibleConstraints when min_score or
    the shares leave only the empty selection while some proposal alone fits the cap.
    """
    candidates, cap = list(candidates), round_cents(Decimal(_units(cap)) / 100)
    shares = parse_shares(min_share)
    min_score = None if min_score is None else Decimal(str(min_score))
    complete = [(i, c) for i, c in enumerate(candidates, 1) if _is_complete(c)]
    pool = [(i, c) for i, c in complete if min_score is None or c.value >= min_score]
    selected = _optimal_ids(pool, cap, shares)
    if not selected:
        _refuse_empty_selection(complete, cap, min_score, shares)
    return _explain(candidates, selected, cap, min_score, shares)


def _is_complete(candidate: Candidate) -> bool:
    if candidate.missing_reviews or candidate.value is None:
        return False
    if candidate.value <= 0:
        raise ValueError("Objective values are published scores, above zero.")
    return True


def _refuse_empty_selection(complete, cap, min_score, shares) -> None:
    """Raise InfeasibleConstraints naming constraints that, dropped, allow a non-empty set."""
    fitting = [(i, c) for i, c in complete if c.requested_usd <= cap]
    if not fitting or (min_score is None and not shares):
        return
    meets = [(i, c) for i, c in fitting if min_score is None or c.value >= min_score]
    # First suspects: min_score if nothing that fits meets it, else the keys that nothing
    # eligible carries; if dropping the suspects is not enough, every share as well.
    keys = [k for k in shares if meets and not any(k in c.share_keys for _, c in meets)]
    rest = {k: s for k, s in shares.items() if k not in keys}
    if (meets and not keys) or (rest and not _optimal_ids(meets or fitting, cap, rest)):
        keys = list(shares)
    named = ([] if meets else ["min_score"]) + [f"min_share.{k}" for k in keys]
    raise InfeasibleConstraints(named)


# The integer programme


@dataclass(frozen=True)
class _Model:
    values: np.ndarray  # hundredths
    costs: np.ndarray  # cents
    positions: np.ndarray  # 1, 2, 3, ... in the order given
    cap: int  # cents
    shares: tuple  # rows; row · x ≥ 0 when the share holds

    def rows(self) -> list:
        """(coefficients, at least, at most) of every constraint."""
        return [(self.costs, None, self.cap), *((row, 0, None) for row in self.shares)]


def _units(amount: Decimal) -> int:
    hundredths = Decimal(amount) * 100
    if hundredths != hundredths.to_integral_value() or hundredths < 0:
        raise ValueError(f"{amount} is not a non-negative amount with at most two decimals.")
    return int(hundredths)


def _optimal_ids(pool, cap: Decimal, shares: dict) -> set:
    pool = [(i, c) for i, c in pool if c.requested_usd <= cap]  # no set can hold the others
    if not pool:
        return set()
    costs = [_units(c.requested_usd) for _, c in pool]
    rows = tuple(_share_row(pool, costs, key, share) for key, share in shares.items())
    for row in (costs, *rows):
        if sum(abs(int(a)) for a in row) >= EXACT_LIMIT:
            raise ValueError("The amounts are too large to solve exactly.")
    model = _Model(np.array([_units(c.value) for _, c in pool], dtype=np.int64),
                   np.array(costs, dtype=np.int64), np.array([i for i, _ in pool]), _units(cap), rows)
    chosen = _select(model)
    return {c.proposal_id for (_, c), x in zip(pool, chosen) if x}


def _share_row(pool, costs, key: str, share: Decimal) -> np.ndarray:
    p, q = Fraction(share).as_integer_ratio()
    row = [(q if key in c.share_keys else 0) * cost - p * cost for (_, c), cost in zip(pool, costs)]
    return np.array(row, dtype=np.int64) // (math.gcd(*row) or 1)


def _select(model: _Model) -> np.ndarray:
    """The lexicographic optimum: the most value, then the least money, then the best positions.

    After each phase, a row keeps the later ones among its optima (objective · x = its optimum).
    """
    n, rows, x = len(model.values), model.rows(), None
    lower, upper = np.zeros(n, dtype=np.int64), np.ones(n, dtype=np.int64)
    for objective in (-model.values, model.costs, model.positions):
        bound = _lp_bound(objective, rows, lower, upper)
        if bound is not None:
            x = _first_known(objective, rows, bound) if x is None else x  # a set to beat
            lower, upper = _settle(bound, objective, x, lower, upper)
        x = _solve(objective, rows, lower, upper)
        rows = rows + [(objective, int(objective @ x), int(objective @ x))]
    return x


def _first_known(objective, rows, bound) -> np.ndarray:
    """A good feasible set: the optimum over a core, else the empty set (always feasible).

    The core is the CORE_SIZE proposals whose reduced values are nearest zero, the others
    held where the LP puts them: a small MILP, and whatever it finds is feasible.
    """
    _, reduced, _, _ = bound  # every proposal is free before the first phase
    if len(reduced) <= CORE_SIZE:  # the core would be the whole problem
        return np.zeros(len(reduced), dtype=np.int64)
    lower = np.array([r < 0 for r in reduced], dtype=np.int64)
    upper = lower.copy()
    core = sorted(range(len(reduced)), key=lambda j: abs(reduced[j]))[:CORE_SIZE]
    lower[core], upper[core] = 0, 1
    found = _solve(objective, rows, lower, upper, strict=False)
    return np.zeros_like(lower) if found is None else found


def _solve(objective, rows, lower, upper, strict=True) -> np.ndarray | None:
    """One MILP over the binaries that lower and upper leave free; rows as in _Model.rows()."""
    x, free = lower.copy(), lower < upper
    if free.any():
        matrix = np.array([row for row, _, _ in rows], dtype=np.int64)
        base = matrix[:, ~free] @ lower[~free]  # what the settled proposals already hold
        low = [-np.inf if lo is None else lo - b - 0.5 for (_, lo, _), b in zip(rows, base)]
        high = [np.inf if hi is None else hi - b + 0.5 for (_, _, hi), b in zip(rows, base)]
        result = milp(objective[free].astype(float), integrality=1, bounds=Bounds(0, 1),
                      constraints=LinearConstraint(matrix[:, free].astype(float), low, high),
                      options={"mip_rel_gap": 0, "presolve": bool(free.sum() <= PRESOLVE_UP_TO)})
        if result.status != 0:
            if not strict:
                return None
            raise SolverFailure(f"No proven optimum: {result.message}")
        x[free] = np.rint(result.x)
    if not _feasible(rows, x):
        if not strict:
            return None
        raise SolverFailure("The solver's answer breaks a constraint.")
    return x


def _feasible(rows, x) -> bool:
    """Every row checked in int64, exact: each row's coefficients sum below 2**53."""
    totals = [int(row @ x) for row, _, _ in rows]
    return all((lo is None or t >= lo) and (hi is None or t <= hi) for t, (_, lo, hi) in zip(totals, rows))


def _lp_bound(objective, rows, lower, upper) -> tuple | None:
    """An exact Lagrangian bound on objective · x over the free proposals, from the LP's duals.

    With the rows as A z ≤ b over the free proposals z (settled ones moved into b) and any
    y ≥ 0 (the LP's duals, each float read exactly as a fraction), every feasible z has
    c·z ≥ LB + Σ_j |r_j| [z_j ≠ [r_j < 0]], where r = c + yA and LB = Σ min(r_j, 0) − y·b.
    Returned over a common denominator, as integers: (free, r, LB, denominator).
    """
    free = lower < upper
    if not free.any():
        return None
    a_ub, b_ub = [], []
    for row, lo, hi in rows:
        base = int(row[~free] @ lower[~free])
        if hi is not None:
            a_ub, b_ub = a_ub + [row[free]], b_ub + [hi - base]
        if lo is not None:
            a_ub, b_ub = a_ub + [-row[free]], b_ub + [base - lo]
    lp = linprog(objective[free].astype(float), A_ub=np.array(a_ub, dtype=float), b_ub=b_ub,
                 bounds=(0, 1), method="highs")
    if lp.status != 0:  # the LP holds a known feasible set and x ≤ 1 bounds it
        raise SolverFailure(f"The linear relaxation failed: {lp.message}")
    duals = [Fraction(max(0.0, -float(m))) for m in lp.ineqlin.marginals]
    scale = math.lcm(*(y.denominator for y in duals))
    ys = [int(y * scale) for y in duals]
    reduced = [int(c) * scale + sum(y * int(a[j]) for y, a in zip(ys, a_ub) if y)
               for j, c in enumerate(objective[free])]
    low = sum(r for r in reduced if r < 0) - sum(y * b for y, b in zip(ys, b_ub))
    return free, reduced, low, scale


def _settle(bound, objective, known, lower, upper) -> tuple:
    """Fix each free proposal whose place is the same in every set at least as good as `known`.

    Such a set has Σ_j |r_j| [z_j ≠ [r_j < 0]] ≤ c·known − LB over the free proposals, so
    wherever |r_j| exceeds that slack, z_j = [r_j < 0].
    """
    free, reduced, low, scale = bound
    slack = int(objective[free] @ known[free]) * scale - low
    lower, upper = lower.copy(), upper.copy()
    for j, r in zip(np.flatnonzero(free), reduced):
        if r > slack:
            upper[j] = 0
        elif r < -slack:
            lower[j] = 1
    return lower, upper


# The explanation


def _explain(candidates, selected: set, cap, min_score, shares) -> Recommendation:
    chosen = [c for c in candidates if c.proposal_id in selected]
    spent = sum((c.requested_usd for c in chosen), Decimal("0.00"))
    held = {k: sum((c.requested_usd for c in chosen if k in c.share_keys), Decimal(0)) for k in shares}
    binding = {f"min_share.{k}" for k, s in shares.items() if spent and held[k] == s * spent}
    left_out = []
    for c in (c for c in candidates if c.proposal_id not in selected):
        reason, broken = _left_out(c, cap, spent, held, shares, min_score)
        left_out.append(LeftOut(c.proposal_id, reason))
        binding.update(broken)
    binding = tuple(n for n in ("cap", "min_score", *(f"min_share.{k}" for k in shares)) if n in binding)
    achieved = {k: _ratio(held[k], spent) for k in shares}
    total_score = sum((c.value for c in chosen), Decimal("0.00"))
    text = _summary(len(chosen), len(candidates), spent, total_score, cap, min_score, shares, achieved,
                    binding, len(left_out))
    return Recommendation(tuple(c.proposal_id for c in chosen), spent, total_score, cap, binding,
                          achieved, tuple(left_out), text)


def _summary(n_chosen, n_all, spent, total_score, cap, min_score, shares, achieved, binding, n_out) -> str:
    lines = [(f"Selected {n_chosen} of {n_all} proposals, requesting {_usd(spent)} of the cap of "
              f"{_usd(cap)} ({_usd(cap - spent)} left), for a total score of {total_score}.")]
    lines += [(f"The share of {k} is {_percent(achieved[k])} of the selected money (minimum "
               f"{_percent(s)}).") for k, s in shares.items()]
    names = {"cap": "the cap", "min_score": f"the minimum score of {min_score}"}
    if binding:
        lines.append("Binding: " + ", ".join(names.get(b, f"the minimum share of {b.removeprefix('min_share.')}")
                                             for b in binding) + ".")
    if n_out:
        lines.append(f"{n_out} proposal{' is' if n_out == 1 else 's are'} left out, each with its reason.")
    else:
        lines.append("Every proposal is selected: no constraint binds.")
    return " ".join(lines)


def _left_out(c: Candidate, cap, spent, held, shares, min_score) -> tuple:
    """Why c is out, and the constraints that adding it to the selection would break."""
    if not _is_complete(c):
        return f"Not all its reviews are submitted ({c.missing_reviews or 'some'} missing).", []
    if min_score is not None and c.value < min_score:  # never a candidate
        return f"Its score {c.value} is below the minimum of {min_score}.", ["min_score"]
    if c.requested_usd > cap:  # fits in no selection at all
        return f"It requests {_usd(c.requested_usd)}, more than the whole cap.", ["cap"]
    total, broken = spent + c.requested_usd, {}
    if total > cap:
        broken["cap"] = f"exceed the cap by {_usd(total - cap)}"
    for key, share in shares.items():
        with_c = held[key] + (c.requested_usd if key in c.share_keys else 0)
        if with_c < share * total:
            broken[f"min_share.{key}"] = (f"bring the share of {key} to {_percent(_ratio(with_c, total))}, "
                                          f"below the minimum of {_percent(share)}")
    if not broken:  # adding it would raise the total: an optimum cannot leave it out
        raise SolverFailure(f"{c.reference} fits every constraint yet is left out.")
    return ("Adding it would " + " and ".join(broken.values()) + ". No exchange with selected "
            "proposals gives a higher total score."), list(broken)


def _ratio(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole).quantize(Decimal("0.0001"), ROUND_HALF_UP) if whole else Decimal("0.0000")


def _percent(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def _usd(amount: Decimal) -> str:
    return f"USD {amount:,.2f}"
