"""The funding recommendation (DESIGN.md "Recommendation"), solved exactly, without database or Flask
(its words go through Flask-Babel's gettext, which needs no application: English outside one).

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
as a known one (selection.py: `_lp_bound`, `_settle`; the first known set comes from a small MILP over
the proposals the LP is least sure of), so the MILPs see tens of proposals, not thousands.

Explanation: a constraint binds when adding some left-out proposal to the selection
would break it or, for a share, when the selection holds exactly the minimum. Each
left-out proposal gets every constraint that adding it would break; optimality is what
lets the text add that no exchange with selected proposals gives a higher total. The text and
the reasons are kept as facts (numbers and codes) and written in words when they are read,
in the reader's language: a donor reading in French a recommendation the secretariat
computed in English reads it in French (`explanation_for_reader`).
"""
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.lists import format_list
from flask_babel import gettext as _, ngettext

from ..errors import ValidationFailed
from ..i18n import reader_locale
from ..money import group_money, round_cents
from ..regions import REGIONS
from ..vocabulary import THEME_LABELS
from .selection import SolverFailure, optimal_ids, units  # noqa: F401  (SolverFailure: raised through)

OBJECTIVES = ("normalised_score", "weighted_mean")
SHARE_KINDS = {"region": frozenset(REGIONS), "theme": frozenset(THEME_LABELS)}
SHARE_DECIMALS = 4  # keeps q in q × money(key) − p × money(all) small enough to stay exact


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
    why: dict  # what keeps it out, as facts: reason_in_words writes them in the reader's language

    @property
    def reason(self) -> str:
        return reason_in_words(self.why)


@dataclass(frozen=True)
class RecommendationResult:
    selected_ids: tuple  # in the order the candidates were given
    total_usd: Decimal
    total_score: Decimal
    cap_usd: Decimal
    binding: tuple  # "cap", "min_score", "min_share.<key>"
    shares: dict  # min_share key → share of the selected money held, four decimals
    left_out: tuple  # LeftOut, in the order given
    facts: dict  # the summary's numbers, as strings: summary_in_words writes them

    @property
    def text(self) -> str:
        return summary_in_words(self.facts)


class InvalidShares(ValidationFailed):
    """min_share has a key outside the vocabulary or a share outside (0, 1]."""


class InfeasibleConstraints(ValidationFailed):
    """Only the empty selection meets these constraints, yet a proposal fits the cap without them."""

    def __init__(self, constraints: list):
        self.constraints = constraints
        super().__init__(_("Only an empty selection meets %(constraints)s; without them at least one proposal "
                           "fits the cap.", constraints=", ".join(constraints)),
                         errors={name: [_("Only an empty selection meets this.")] for name in constraints})


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
        kind, _sep, name = str(key).partition(":")
        share = _as_share(raw)
        if name not in SHARE_KINDS.get(kind, ()):
            errors[f"min_share.{key}"] = [_("Use region:<M49 region> or theme:<theme key>.")]
        elif share is None:
            errors[f"min_share.{key}"] = [_("A share is above 0 and at most 1, with at most four decimals.")]
        else:
            shares[key] = share
    if errors:
        raise InvalidShares(_("Some minimum shares are not valid."), errors=errors)
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
              min_share: Mapping | None = None) -> RecommendationResult:
    """The exact optimum and its explanation; candidates come best first.

    Raises InvalidShares for a bad min_share and InfeasibleConstraints when min_score or
    the shares leave only the empty selection while some proposal alone fits the cap.
    """
    candidates, cap = list(candidates), round_cents(Decimal(units(cap)) / 100)
    shares = parse_shares(min_share)
    min_score = None if min_score is None else Decimal(str(min_score))
    complete = [(i, c) for i, c in enumerate(candidates, 1) if _is_complete(c)]
    pool = [(i, c) for i, c in complete if min_score is None or c.value >= min_score]
    selected = optimal_ids(pool, cap, shares)
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
    keys = [k for k in shares if meets and not any(k in c.share_keys for _i, c in meets)]
    rest = {k: s for k, s in shares.items() if k not in keys}
    if (meets and not keys) or (rest and not optimal_ids(meets or fitting, cap, rest)):
        keys = list(shares)
    named = ([] if meets else ["min_score"]) + [f"min_share.{k}" for k in keys]
    raise InfeasibleConstraints(named)


def _explain(candidates, selected: set, cap, min_score, shares) -> RecommendationResult:
    chosen = [c for c in candidates if c.proposal_id in selected]
    spent = sum((c.requested_usd for c in chosen), Decimal("0.00"))
    held = {k: sum((c.requested_usd for c in chosen if k in c.share_keys), Decimal(0)) for k in shares}
    binding = {f"min_share.{k}" for k, s in shares.items() if spent and held[k] == s * spent}
    left_out = []
    for c in (c for c in candidates if c.proposal_id not in selected):
        why, broken = _left_out(c, cap, spent, held, shares, min_score)
        left_out.append(LeftOut(c.proposal_id, why))
        binding.update(broken)
    binding = tuple(n for n in ("cap", "min_score", *(f"min_share.{k}" for k in shares)) if n in binding)
    achieved = {k: _ratio(held[k], spent) for k in shares}
    total_score = sum((c.value for c in chosen), Decimal("0.00"))
    facts = {"chosen": len(chosen), "all": len(candidates), "spent": str(spent), "score": str(total_score),
             "cap": str(cap), "min_score": None if min_score is None else str(min_score),
             "shares": {k: str(s) for k, s in shares.items()}, "achieved": {k: str(v) for k, v in achieved.items()},
             "binding": list(binding), "left_out": len(left_out)}
    return RecommendationResult(tuple(c.proposal_id for c in chosen), spent, total_score, cap, binding,
                          achieved, tuple(left_out), facts)


def explanation_for_reader(explanation: dict) -> dict:
    """A stored explanation with its text and reasons written in the reader's language, from
    their facts. One stored before the facts were kept keeps its words as they were."""
    if "facts" not in explanation:
        return explanation
    return {**explanation, "text": summary_in_words(explanation["facts"]),
            "left_out": [{**lo, "reason": reason_in_words(lo["why"])} if "why" in lo else lo
                         for lo in explanation["left_out"]]}


def summary_in_words(facts: dict) -> str:
    """The explanation's summary (facts from _explain) in the reader's language."""
    spent, cap = Decimal(facts["spent"]), Decimal(facts["cap"])
    lines = [_("Selected %(chosen)d of %(all)d proposals, requesting %(spent)s of the cap of %(cap)s (%(left)s "
               "left), for a total score of %(score)s.", chosen=facts["chosen"], all=facts["all"], spent=_usd(spent),
               cap=_usd(cap), left=_usd(cap - spent), score=facts["score"])]
    lines += [_("The share of %(key)s is %(achieved)s of the selected money (minimum %(minimum)s).", key=k,
                achieved=_percent(Decimal(facts["achieved"][k])), minimum=_percent(Decimal(s)))
              for k, s in facts["shares"].items()]
    if facts["binding"]:
        lines.append(_("Binding: %(constraints)s.", constraints=", ".join(_constraint_name(b, facts["min_score"])
                                                                           for b in facts["binding"])))
    n_out = facts["left_out"]
    if n_out:
        lines.append(ngettext("%(num)d proposal is left out, each with its reason.",
                              "%(num)d proposals are left out, each with its reason.", n_out))
    else:
        lines.append(_("Every proposal is selected: no constraint binds."))
    return " ".join(lines)


def _constraint_name(name: str, min_score) -> str:
    if name == "cap":
        return _("the cap")
    if name == "min_score":
        return _("the minimum score of %(score)s", score=min_score)
    return _("the minimum share of %(key)s", key=name.removeprefix("min_share."))


def _left_out(c: Candidate, cap, spent, held, shares, min_score) -> tuple:
    """Why c is out, as facts, and the constraints that adding it to the selection would break."""
    if not _is_complete(c):
        return {"code": "reviews_missing", "missing": c.missing_reviews}, []
    if min_score is not None and c.value < min_score:  # never a candidate
        return {"code": "below_minimum", "score": str(c.value), "minimum": str(min_score)}, ["min_score"]
    if c.requested_usd > cap:  # fits in no selection at all
        return {"code": "over_cap", "requested": str(c.requested_usd)}, ["cap"]
    total, broken = spent + c.requested_usd, {}
    if total > cap:
        broken["cap"] = {"over_by": str(total - cap)}
    for key, share in shares.items():
        with_c = held[key] + (c.requested_usd if key in c.share_keys else 0)
        if with_c < share * total:
            broken[f"min_share.{key}"] = {"key": key, "share": str(_ratio(with_c, total)), "minimum": str(share)}
    if not broken:  # adding it would raise the total: an optimum cannot leave it out
        raise SolverFailure(f"{c.reference} fits every constraint yet is left out.")
    return {"code": "would_break", "breaks": list(broken.values())}, list(broken)


def reason_in_words(why: dict) -> str:
    """Why a proposal is left out (facts from _left_out), in the reader's language."""
    code = why["code"]
    if code == "reviews_missing":
        if not why["missing"]:
            return _("Not all its reviews are submitted (some missing).")
        return _("Not all its reviews are submitted (%(missing)d missing).", missing=why["missing"])
    if code == "below_minimum":
        return _("Its score %(score)s is below the minimum of %(minimum)s.", score=why["score"],
                 minimum=why["minimum"])
    if code == "over_cap":
        return _("It requests %(amount)s, more than the whole cap.", amount=_usd(Decimal(why["requested"])))
    consequences = [
        _("exceed the cap by %(amount)s", amount=_usd(Decimal(b["over_by"]))) if "over_by" in b else
        _("bring the share of %(key)s to %(share)s, below the minimum of %(minimum)s", key=b["key"],
          share=_percent(Decimal(b["share"])), minimum=_percent(Decimal(b["minimum"])))
        for b in why["breaks"]]
    # What adding it would do, listed as the language lists ("A and B", "A, B, and C", "A、B和C").
    return _("Adding it would %(consequences)s. No exchange with selected proposals gives a higher total score.",
             consequences=format_list(consequences, locale=reader_locale()))


def _ratio(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole).quantize(Decimal("0.0001"), ROUND_HALF_UP) if whole else Decimal("0.0000")


def _percent(share: Decimal) -> str:
    return f"{(share * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"


def _usd(amount: Decimal) -> str:
    return f"USD {group_money(amount)}"
