"""The integer programme behind the recommendation: exact, on integers, with HiGHS.

optimal_ids() returns the best set of candidates under the cap and the minimum shares, as
recommendation.py's docstring explains (integer data, mip_rel_gap=0, half-unit bounds,
the Lagrangian bound that settles most proposals before the MILPs, lexicographic ties).
"""
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, linprog, milp

EXACT_LIMIT = 2**53
CORE_SIZE = 30  # proposals in the first, small MILP that finds a set to beat
# HiGHS's presolve settles tiny MILPs at once but slows down those of tens of proposals.
PRESOLVE_UP_TO = 40


class SolverFailure(RuntimeError):
    """The solver did not prove an optimum, or its answer failed the exact check."""


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


def units(amount: Decimal) -> int:
    hundredths = Decimal(amount) * 100
    if hundredths != hundredths.to_integral_value() or hundredths < 0:
        raise ValueError(f"{amount} is not a non-negative amount with at most two decimals.")
    return int(hundredths)


def optimal_ids(pool, cap: Decimal, shares: dict) -> set:
    pool = [(i, c) for i, c in pool if c.requested_usd <= cap]  # no set can hold the others
    if not pool:
        return set()
    costs = [units(c.requested_usd) for _, c in pool]
    rows = tuple(_share_row(pool, costs, key, share) for key, share in shares.items())
    for row in (costs, *rows):
        if sum(abs(int(a)) for a in row) >= EXACT_LIMIT:
            raise ValueError("The amounts are too large to solve exactly.")
    model = _Model(np.array([units(c.value) for _, c in pool], dtype=np.int64),
                   np.array(costs, dtype=np.int64), np.array([i for i, _ in pool]), units(cap), rows)
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
