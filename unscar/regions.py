"""Countries and the UN M49 regions (Africa, Americas, Asia, Europe, Oceania).

The mapping is the `continent` column of country_converter's data table, which follows
the UN M49 regions (it names the Americas "America"). Read from the package's own file,
so loading it costs no pandas import.

REGIONS are codes (stored, sent by the API); people read REGION_LABELS. A country's name
comes in the reader's language from CLDR (babel); in English (and outside a request) it
stays ISO 3166's English name (pycountry), as pages and exports have always written it.
"""
import csv
import unicodedata
from functools import cache
from importlib.resources import files

import pycountry
from babel import Locale
from flask_babel import get_locale

from .vocabulary import N_, Labels

REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")
OTHER = "Other"  # the group of the places of no M49 region, in a country picker
REGION_LABELS = Labels({
    "Africa": N_("Africa"),
    "Americas": N_("Americas"),
    "Asia": N_("Asia"),
    "Europe": N_("Europe"),
    "Oceania": N_("Oceania"),
    OTHER: N_("Other"),
})


@cache
def _region_by_country() -> dict[str, str]:
    table = files("country_converter").joinpath("country_data.tsv").read_text(encoding="utf-8")
    mapping = {}
    for row in csv.DictReader(table.splitlines(), delimiter="\t"):
        region = "Americas" if row["continent"] == "America" else row["continent"]
        if region in REGIONS and row["ISO3"]:
            mapping[row["ISO3"]] = region
    return mapping


def region_of(country: str) -> str | None:
    """The M49 region of an ISO 3166-1 alpha-3 code (None for Antarctica or unknown codes)."""
    return _region_by_country().get(country.upper())


def region_name(region: str) -> str:
    """A region code as the reader reads it; an unknown one as it is."""
    return REGION_LABELS[region] if region in REGION_LABELS else region


def countries_in(region: str) -> list[str]:
    """The ISO 3166-1 alpha-3 codes of a region's countries, sorted."""
    return sorted(code for code, name in _region_by_country().items() if name == region)


def regions_of(countries) -> list[str]:
    """The sorted, distinct regions of some countries."""
    return sorted({r for c in countries if (r := region_of(c))})


def is_country(code: str) -> bool:
    return isinstance(code, str) and pycountry.countries.get(alpha_3=code.upper()) is not None


def _names_locale() -> Locale | None:
    """The reader's locale when names come from CLDR; None for English."""
    locale = get_locale()
    return None if locale is None or locale.language == "en" else locale


def _country_name(country, locale: Locale | None) -> str:
    if locale is None:
        return country.name
    return locale.territories.get(country.alpha_2) or country.name


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_3=code.upper())
    return _country_name(country, _names_locale()) if country else code


def name_order(name: str) -> str:
    """Sorts names the way a reader looks them up: accents and case aside ("Åland" among
    the A's, "Émirats" among the E's)."""
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def country_choices() -> list[tuple[str, str]]:
    """(alpha-3 code, name) of every country, by name, in the reader's language."""
    return list(_country_choices(_names_locale()))


@cache
def _country_choices(locale: Locale | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(((c.alpha_3, _country_name(c, locale)) for c in pycountry.countries),
                        key=lambda item: name_order(item[1])))


def countries_by_region() -> dict[str, list[tuple[str, str]]]:
    """{region: [(alpha-3 code, name)]} in REGIONS order, names sorted; the few places of no
    M49 region (Antarctica, say) last, under "Other": the groups of a country picker, each
    named in the reader's language."""
    locale = _names_locale()
    return {region_name(region): list(items) for region, items in _countries_by_region(locale)}


@cache
def _countries_by_region(locale: Locale | None) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    groups: dict[str, list[tuple[str, str]]] = {region: [] for region in REGIONS + (OTHER,)}
    for code, name in _country_choices(locale):
        groups[region_of(code) or OTHER].append((code, name))
    return tuple((region, tuple(items)) for region, items in groups.items() if items)
