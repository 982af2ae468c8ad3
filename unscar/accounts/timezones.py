"""The time-zone list of the profile page: one zone per place people live (tzdata's
zone.tab: every country's zones, no backward-compatible aliases), labelled "City (Country)"
and grouped by continent or ocean, instead of the 599 names zoneinfo knows.

In English the city is the zone's own name; in the other languages the city and the country
are CLDR's (babel), so a reader finds their place under its name in their language.

A zone saved earlier that is not in the list (an alias such as "Asia/Calcutta", set through
the API) stays valid: it is offered under "Other" so saving the form keeps it."""
from functools import cache
from importlib import resources
from zoneinfo import available_timezones

import pycountry
from babel import Locale
from babel.dates import get_timezone_location
from flask_babel import gettext as _

from ..i18n import reader_locale
from ..regions import name_order
from ..vocabulary import N_

REGIONS = {"Africa": N_("Africa"), "America": N_("Americas"), "Antarctica": N_("Antarctica"),
           "Arctic": N_("Arctic"), "Asia": N_("Asia"), "Atlantic": N_("Atlantic Ocean"),
           "Australia": N_("Australia"), "Europe": N_("Europe"), "Indian": N_("Indian Ocean"),
           "Pacific": N_("Pacific Ocean")}
UTC = "UTC"


@cache
def _zone_tab() -> tuple[tuple[str, str], ...]:
    """(country code, zone) pairs of tzdata's zone.tab."""
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    rows = (line.split("\t") for line in text.splitlines() if line and not line.startswith("#"))
    return tuple((row[0], row[2]) for row in rows if len(row) >= 3)


def _english_label(zone: str, country_code: str) -> str:
    city = zone.rsplit("/", 1)[-1].replace("_", " ")
    country = pycountry.countries.get(alpha_2=country_code)
    return f"{city} ({getattr(country, 'common_name', None) or country.name})" if country else city


def _label(zone: str, country_code: str, locale: Locale) -> str:
    if locale.language == "en":
        return _english_label(zone, country_code)
    city = get_timezone_location(zone, locale=locale, return_city=True)
    country = locale.territories.get(country_code)
    return _("%(city)s (%(country)s)", city=city, country=country) if country else city


@cache
def _grouped(locale: Locale) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    """Made once per language (in that language: the caller's locale is `locale`)."""
    known = available_timezones()
    groups: dict[str, list[tuple[str, str]]] = {area: [] for area in REGIONS}
    for country, zone in _zone_tab():
        area = zone.split("/", 1)[0]
        if zone in known and area in REGIONS:
            groups[area].append((zone, _label(zone, country, locale)))
    # English as before (code-point order); the other languages accents and case aside.
    order = (lambda z: z[1]) if locale.language == "en" else (lambda z: name_order(z[1]))
    return tuple((_(REGIONS[area]), tuple(sorted(zones, key=order))) for area, zones in groups.items() if zones)


def listed_zones() -> set[str]:
    known = available_timezones()
    return {zone for _country, zone in _zone_tab() if zone in known and zone.split("/", 1)[0] in REGIONS} | {UTC}


def timezone_choices(current: str | None = None) -> dict[str, list[tuple[str, str]]]:
    """Choices for a WTForms SelectField, grouped (rendered as <optgroup>s), in the reader's language."""
    choices = {_("Not tied to a place"): [("", _("My browser's time zone")),
                                          (UTC, _("UTC (Coordinated Universal Time)"))]}
    choices.update({region: list(zones) for region, zones in _grouped(reader_locale())})
    if current and current not in listed_zones() and current in available_timezones():
        choices[_("Other")] = [(current, current)]
    return choices
