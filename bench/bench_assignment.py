"""Benchmark: automatic assignment of three reviewers each to 2,500 proposals from 150.

Realistic random data from a fixed seed: the ten themes of API.md (one to three per
proposal), the five M49 regions, proposals mostly in English, most reviewers reading
English, each reviewer linked to a few organisations and in conflict with about 2% of
the proposals.
"""
import time

import numpy as np

from unscar.reviews.assignment import ProposalInfo, ReviewerInfo, assign
from unscar.vocabulary import THEME_LABELS

THEMES = list(THEME_LABELS)
REGIONS = ["Africa", "Americas", "Asia", "Europe", "Oceania"]
LANGUAGES = ["en", "fr", "es", "ar", "ru", "zh"]
PROPOSAL_LANGUAGE_SHARES = [0.70, 0.12, 0.10, 0.04, 0.02, 0.02]
N_PROPOSALS, N_REVIEWERS, PER_PROPOSAL, N_ORGANISATIONS = 2500, 150, 3, 900
CONFLICT_SHARE = 0.02


def make_case(seed: int = 20261129) -> tuple[list[ReviewerInfo], list[ProposalInfo]]:
    rng = np.random.default_rng(seed)
    proposals = [ProposalInfo(
        id=i, organisation_id=int(rng.integers(N_ORGANISATIONS)),
        language=str(rng.choice(LANGUAGES, p=PROPOSAL_LANGUAGE_SHARES)),
        themes=_some(rng, THEMES, 1, 3), regions=_some(rng, REGIONS, 1, 2),
    ) for i in range(N_PROPOSALS)]
    return [_reviewer(rng, 10_000 + i) for i in range(N_REVIEWERS)], proposals


def _reviewer(rng, reviewer_id: int) -> ReviewerInfo:
    # Nine in ten read English (a tenth of those reading only English give no languages:
    # English assumed); the others read French or Spanish, maybe with one more language.
    if rng.random() < 0.9:
        languages = _some(rng, LANGUAGES[1:], 0, 2)
        languages |= {"en"} if languages or rng.random() < 0.9 else set()
    else:
        languages = _some(rng, LANGUAGES[1:3], 1, 1) | _some(rng, LANGUAGES[3:], 0, 1)
    conflicts = rng.choice(N_PROPOSALS, int(CONFLICT_SHARE * N_PROPOSALS), replace=False)
    linked = rng.integers(N_ORGANISATIONS, size=rng.integers(1, 4))
    return ReviewerInfo(
        id=reviewer_id, themes=_some(rng, THEMES, 2, 5), regions=_some(rng, REGIONS, 1, 2),
        languages=languages,
        organisation_ids=frozenset(int(o) for o in linked),
        conflicted_proposal_ids=frozenset(int(p) for p in conflicts),
    )


def _some(rng, keys: list[str], low: int, high: int) -> set[str]:
    return {str(k) for k in rng.choice(keys, int(rng.integers(low, high + 1)), replace=False)}


def run() -> list[dict]:
    reviewers, proposals = make_case()
    started = time.perf_counter()
    result = assign(reviewers, proposals, PER_PROPOSAL)
    seconds = time.perf_counter() - started
    loads = result.loads.values()
    missing = sum(n for _, n in result.short)
    return [{
        "name": f"auto-assignment {N_PROPOSALS:,} proposals × {N_REVIEWERS} reviewers × {PER_PROPOSAL}",
        "seconds": seconds,
        "limit_seconds": 10,
        "detail": f"total match {result.total_match:,} over {len(result.new_pairs):,} pairs, "
                  f"loads min–max {min(loads)}–{max(loads)}, {missing} slots short",
    }]

