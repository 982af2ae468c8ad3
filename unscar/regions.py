"""Countries and the UN M49 regions (Africa, Americas, Asia, Europe, Oceania).

The mapping is the `continent` column of country_converter's data table, which follows
the UN M49 regions (it names the Americas "America"). Read from the package's own file,
so loading it costs no pandas import.
"""
import csv
from functools import cache
from importlib.resources import files

import pycountry

REGIONS = ("Africa", "Americas", "Asia", "Europe", "Oceania")


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


def countries_in(region: str) -> list[str]:
    """The ISO 3166-1 alpha-3 codes of a region's countries, sorted."""
    return sorted(code for code, name in _region_by_country().items() if name == region)


def regions_of(countries) -> list[str]:
    """The sorted, distinct regions of some countries."""
    return sorted({r for c in countries if (r := region_of(c))})


def is_country(code: str) -> bool:
    return isinstance(code, str) and pycountry.countries.get(alpha_3=code.upper()) is not None


def country_name(code: str) -> str:
    country = pycountry.countries.get(alpha_3=code.upper())
    return country.name if country else code


@cache
def countries_by_region() -> dict[str, list[tuple[str, str]]]:
    """{region: [(alpha-3 code, name)]} in REGIONS order, names sorted; the few places of no
    M49 region (Antarctica, say) last, under "Other": the groups of a country picker."""
    groups: dict[str, list[tuple[str, str]]] = {region: [] for region in REGIONS + ("Other",)}
    for country in pycountry.countries:
        groups[region_of(country.alpha_3) or "Other"].append((country.alpha_3, country.name))
    return {region: sorted(items, key=lambda item: item[1]) for region, items in groups.items() if items}
