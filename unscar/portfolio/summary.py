"""The fund's summary paragraph, in the words of the UN Secretary-General's report that
DESIGN.md quotes: "Since its establishment in 2013, the fund has financed 39 projects
around the world with a total budget of about USD 6 million; in 2016 it financed 11
projects for about USD 1.7 million ...", written from the filtered projects: since the
first year of the range, then its last year with the themes and activity types that
year's projects covered.

Amounts of a million or more read in millions with one decimal, rounded half-up
("about USD 6.0 million" for 5,960,000); smaller ones to the nearest thousand.

In the reader's language: each clause is one message, counted by ngettext (the sentence
holds two counts, which no single message can agree with), joined by a message of its
own; lists are joined by messages too, so each language puts its own commas and "and".
"""
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import gettext as _, ngettext

from ..regions import REGIONS, region_name
from ..templating import format_number
from ..vocabulary import ACTIVITY_TYPE_LABELS, THEME_LABELS

ESTABLISHED = 2013
MILLION = Decimal(1_000_000)


def about_usd(amount: Decimal) -> str:
    if amount >= MILLION:
        millions = (amount / MILLION).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        return _("about USD %(amount)s million", amount=format_number(millions, 1))
    thousands = (amount / 1000).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    rounded = format_number(int(thousands) * 1000, 0)
    return _("about USD %(amount)s", amount=rounded)


def _series(labels: list[str]) -> str:
    """"a, b and c" in the reader's language."""
    text = labels[0]
    for label in labels[1:-1]:
        text = _("%(list)s, %(item)s", list=text, item=label)
    return text if len(labels) == 1 else _("%(list)s and %(item)s", list=text, item=labels[-1])


def _lower(label: str) -> str:
    return label[0].lower() + label[1:]


def _since(first: int, projects: int, approved: Decimal, region: str | None) -> str:
    """The clause on the whole range: 'Since its establishment in 2013, the fund has
    financed 39 projects around the world with a total budget of about USD 6.0 million'."""
    amount = about_usd(approved)
    if first <= ESTABLISHED and region:
        return ngettext("Since its establishment in %(year)s, the fund has financed %(num)d project in %(region)s "
                        "with a total budget of %(amount)s",
                        "Since its establishment in %(year)s, the fund has financed %(num)d projects in %(region)s "
                        "with a total budget of %(amount)s", projects, year=first, region=region, amount=amount)
    if first <= ESTABLISHED:
        return ngettext("Since its establishment in %(year)s, the fund has financed %(num)d project around the world "
                        "with a total budget of %(amount)s",
                        "Since its establishment in %(year)s, the fund has financed %(num)d projects around the "
                        "world with a total budget of %(amount)s", projects, year=first, amount=amount)
    if region:
        return ngettext("Since %(year)s, the fund has financed %(num)d project in %(region)s with a total budget of "
                        "%(amount)s",
                        "Since %(year)s, the fund has financed %(num)d projects in %(region)s with a total budget of "
                        "%(amount)s", projects, year=first, region=region, amount=amount)
    return ngettext("Since %(year)s, the fund has financed %(num)d project around the world with a total budget of "
                    "%(amount)s",
                    "Since %(year)s, the fund has financed %(num)d projects around the world with a total budget of "
                    "%(amount)s", projects, year=first, amount=amount)


def _in_year(figures: dict, year: int) -> str:
    """The clause on the range's last year: 'in 2016 it financed 11 projects for about USD
    1.7 million, on legislation and reporting, through capacity building.' (the year's
    themes and activity types: portfolio_figures grouped them already, no statement)."""
    entry = next((entry for entry in figures["by_year"] if entry["key"] == year), None)
    if entry is None:
        return _("in %(year)s it financed no projects.", year=year)
    found = figures["coverage_by_year"].get(year, {})
    themes = [_lower(THEME_LABELS[key]) for key in found.get("theme", [])]
    activities = [_lower(ACTIVITY_TYPE_LABELS[key]) for key in found.get("activity_type", [])]
    values = {"year": year, "amount": about_usd(entry["approved_usd"])}
    count = entry["projects"]
    if themes and activities:
        return ngettext("in %(year)s it financed %(num)d project for %(amount)s, on %(themes)s, through "
                        "%(activities)s.",
                        "in %(year)s it financed %(num)d projects for %(amount)s, on %(themes)s, through "
                        "%(activities)s.", count, themes=_series(themes), activities=_series(activities), **values)
    if themes:
        return ngettext("in %(year)s it financed %(num)d project for %(amount)s, on %(themes)s.",
                        "in %(year)s it financed %(num)d projects for %(amount)s, on %(themes)s.", count,
                        themes=_series(themes), **values)
    if activities:
        return ngettext("in %(year)s it financed %(num)d project for %(amount)s, through %(activities)s.",
                        "in %(year)s it financed %(num)d projects for %(amount)s, through %(activities)s.", count,
                        activities=_series(activities), **values)
    return ngettext("in %(year)s it financed %(num)d project for %(amount)s.",
                    "in %(year)s it financed %(num)d projects for %(amount)s.", count, **values)


def summary_text(figures: dict, filters: dict) -> str:
    """The paragraph for `figures` (portfolio_figures of the same `filters`)."""
    years = [entry["key"] for entry in figures["by_year"]]
    if not years:
        return _("No funded project matches this selection yet.")
    first = filters.get("year_from") or min(ESTABLISHED, years[0])
    last = filters.get("year_to") or years[-1]
    region = region_name(filters["region"]) if filters.get("region") in REGIONS else None
    return _("%(since)s; %(last_year)s", since=_since(first, figures["projects"], figures["approved_usd"], region),
             last_year=_in_year(figures, last))
