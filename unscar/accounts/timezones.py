"""The time-zone list of the profile page: one zone per place people live (tzdata's
zone.tab: every country's zones, no backward-compatible aliases), labelled "City (Country)"
and grouped by continent or ocean, instead of the 599 names zoneinfo knows.

A zone saved earlier that is not in the list (an alias such as "Asia/Calcutta", set through
the API) stays valid: it is offered under "Other" so saving the form keeps it."""
from functools import lru_cache
from importlib import resources
from zoneinfo import available_timezones

import pycountry

REGIONS = {"Africa": "Africa", "America": "Americas", "Antarctica": "Antarctica", "Arctic": "Arctic",
           "Asia": "Asia", "Atlantic": "Atlantic Ocean", "Australia": "Australia", "Europe": "Europe",
           "Indian": "Indian Ocean", "Pacific": "Pacific Ocean"}
UTC = ("UTC", "UTC (Coordinated Universal Time)")


def _zone_tab() -> list[tuple[str, str]]:
    """(country code, zone) pairs of tzdata's zone.tab."""
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return [(row[0], row[2]) for row in rows if len(row) >= 3]


def _label(zone: str, country_code: str) -> str:
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    country = pycountry.countries.get(alpha_2=country_code)
    return f"{city} ({getattr(country, 'common_name', None) or country.name})" if country else city


@lru_cache(maxsize=1)
def _grouped() -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    known = available_timezones()
    groups: dict[str, list[tuple[str, str]]] = {label: [] for label in REGIONS.values()}
    for country, zone in _zone_tab():
        area = zone.split("/", 1)[0]
        if zone in known and area in REGIONS:
            groups[REGIONS[area]].append((zone, _label(zone, country)))
    return tuple((region, tuple(sorted(zones, key=lambda z: z[1]))) for region, zones in groups.items() if zones)


def listed_zones() -> set[str]:
    return {zone for _, zones in _grouped() for zone, _ in zones} | {UTC[0]}


def timezone_choices(current: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """Choices for a WTForms SelectField, grouped (rendered as <optgroup>s)."""
    choices = {"Not tied to a place": [("", "My browser's time zone"), UTC]}
    choices.update({region: list(zones) for region, zones in _grouped()})
    if current and current not in listed_zones() and current in available_timezones():
        choices["Other"] = [(current, current)]
    return choices
