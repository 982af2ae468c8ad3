"""The filtered portfolio as a 360Giving Data Standard package (JSON): one grant per
funded project, written one at a time so the file streams.

Identifiers: the fund's 360Giving prefix (config GIVING360_PREFIX; the default is a
placeholder until the fund registers one) with the project's reference; recipients
have no registered organisation identifier here, so theirs is the prefix, "ORG" and
their name and country made into a slug. Amounts are JSON numbers written from the
exact Decimal (the schema's type), dates YYYY-MM-DD, countries ISO 3166-1 alpha-2.
"""
import json
import re
import secrets
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pycountry
from flask import current_app

from ..dates import utcnow
from .exports import project_rows_of
from .iati import REPORTING_ORG_NAME
from .records import GRANT

DEFAULT_PREFIX = "360G-UNSCAR"
VERSION = "1.4"


class _Exact:
    """Writes Decimals as JSON numbers with their own digits, never through a float:
    each is dumped as a marker string (with a token made per file, which no text can
    know) that is then replaced by the number."""

    def __init__(self):
        self.token = secrets.token_hex(8)
        self.marker = re.compile(f'"{self.token}:(-?[0-9]+(?:\\.[0-9]+)?)"')

    def __call__(self, amount: Decimal) -> str:
        return f"{self.token}:{amount}"

    def dumps(self, value: dict) -> str:
        return self.marker.sub(r"\1", json.dumps(value, ensure_ascii=False))


def prefix() -> str:
    return current_app.config.get("GIVING360_PREFIX", DEFAULT_PREFIX)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").upper()[:80]


def _alpha_2(code: str) -> str | None:
    country = pycountry.countries.get(alpha_3=code)
    return country.alpha_2 if country else None


def grant(row, funder: dict, modified: str, exact: _Exact) -> dict:
    award = row.approved_at.date() if row.approved_at else (row.start_date or date(row.year, 12, 31))
    recipient = {"id": f"{prefix()}-ORG-{_slug(row.organisation)}-{row.organisation_country}",
                 "name": row.organisation}
    if (country := _alpha_2(row.organisation_country)) is not None:
        recipient["addressCountry"] = country
    found = {"id": f"{prefix()}-{row.reference}", "title": row.title, "description": row.summary or row.title,
             "currency": "USD", "amountAwarded": exact(row.approved_usd), "awardDate": award.isoformat(),
             "recipientOrganization": [recipient], "fundingOrganization": [funder],
             "grantProgramme": [{"code": str(row.year), "title": f"UNSCAR {row.year}"}],
             "dateModified": modified}
    if row.source == GRANT and row.disbursed_usd:
        found["amountDisbursed"] = exact(row.disbursed_usd)
    if row.start_date:
        dates = {"startDate": row.start_date.isoformat()}
        if row.end_date:
            dates["endDate"] = row.end_date.isoformat()
        found["plannedDates"] = [dates]
    locations = [{"name": pycountry.countries.get(alpha_2=code).name, "countryCode": code}
                 for code in (_alpha_2(c) for c in row.countries or []) if code]
    if locations:
        found["beneficiaryLocation"] = locations
    return found


def giving_json(filters: dict) -> Iterator[str]:
    """{"grants": [...], ...}; an empty selection is still a valid file's shape, but the
    standard wants at least one grant (minItems 1): the caller says so to the user."""
    modified = utcnow().replace(microsecond=0).isoformat()
    funder = {"id": prefix(), "name": REPORTING_ORG_NAME}
    exact = _Exact()
    yield f'{{"version": "{VERSION}", "title": "UNSCAR funded projects", "grants": ['
    for number, row in enumerate(project_rows_of(filters)):
        yield ("," if number else "") + "\n" + exact.dumps(grant(row, funder, modified, exact))
    yield "\n]}\n"
