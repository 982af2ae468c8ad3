"""The fund's summary paragraph, in the words of the UN Secretary-General's report that
DESIGN.md quotes: "Since its establishment in 2013, the fund has financed 39 projects
around the world with a total budget of about USD 6 million; in 2016 it financed 11
projects for about USD 1.7 million ...", written from the filtered projects: since the
first year of the range, then its last year with the themes and activity types that
year's projects covered.

Amounts of a million or more read in millions with one decimal, rounded half-up
("about USD 6.0 million" for 5,960,000); smaller ones to the nearest thousand.
"""
from decimal import ROUND_HALF_UP, Decimal

from ..regions import REGIONS
from ..vocabulary import ACTIVITY_TYPE_LABELS, THEME_LABELS

ESTABLISHED = 2013
MILLION = Decimal(1_000_000)


def about_usd(amount: Decimal) -> str:
    if amount >= MILLION:
        return f"about USD {(amount / MILLION).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)} million"
    thousands = (amount / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"about USD {int(thousands) * 1000:,}"


def projects_phrase(count: int) -> str:
    return "no projects" if count == 0 else f"{count} project{'' if count == 1 else 's'}"


def _series(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def _lower(label: str) -> str:
    return label[0].lower() + label[1:]


def _coverage(figures: dict, year: int) -> str:
    """', on legislation and reporting, through capacity building' for the year's
    projects (portfolio_figures grouped them already: no statement)."""
    found = figures["coverage_by_year"].get(year, {})
    themes = [_lower(THEME_LABELS[key]) for key in found.get("theme", [])]
    activities = [_lower(ACTIVITY_TYPE_LABELS[key]) for key in found.get("activity_type", [])]
    text = f", on {_series(themes)}" if themes else ""
    return text + (f", through {_series(activities)}" if activities else "")


def summary_text(figures: dict, filters: dict) -> str:
    """The paragraph for `figures` (portfolio_figures of the same `filters`)."""
    years = [entry["key"] for entry in figures["by_year"]]
    if not years:
        return "No funded project matches this selection yet."
    first = filters.get("year_from") or min(ESTABLISHED, years[0])
    last = filters.get("year_to") or years[-1]
    opening = (f"Since its establishment in {first}" if first <= ESTABLISHED else f"Since {first}")
    where = f"in {filters['region']}" if filters.get("region") in REGIONS else "around the world"
    that_year = next((entry for entry in figures["by_year"] if entry["key"] == last), None)
    sentence = (f"{opening}, the fund has financed {projects_phrase(figures['projects'])} {where} with a total "
                f"budget of {about_usd(figures['approved_usd'])}; in {last} it financed ")
    if that_year is None:
        return sentence + "no projects."
    return (sentence + f"{projects_phrase(that_year['projects'])} for {about_usd(that_year['approved_usd'])}"
            + _coverage(figures, last) + ".")
