"""The filtered portfolio as an IATI Activity Standard 2.03 file: one <iati-activity>
per funded project, its elements in the schema's order (the XSD checks sequence), its
codes from the IATI codelists: the fund reports as a multilateral (40) and funds (role 1);
the grantee implements (role 4); DAC purpose code 15240 ("Reintegration and SALW
control") for every project; the OECD DAC gender marker as policy marker 1; the grant as
a budget and a commitment (transaction 2), each disbursement of the ledger as a
transaction 3.

Written one activity at a time, so the file streams; the disbursements of the filtered
grants come from one query.
"""
from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pycountry
from flask import current_app
from lxml import etree
from sqlalchemy import select

from ..dates import utcnow
from ..extensions import db
from ..funds.models import EntryKind, LedgerEntry
from ..money import format_money
from .exports import project_rows_of
from .records import GRANT, conditions, project_rows

DEFAULT_REPORTING_ORG = "XI-IATI-UNSCAR"
REPORTING_ORG_NAME = "UN Trust Facility Supporting Cooperation on Arms Regulation (UNSCAR)"
SECTOR_SALW = "15240"
ORGANISATION_TYPES = {"research_institute": "80", "regional_organisation": "40", "un_entity": "40",
                      "government": "10"}
STATUSES = {"active": "2", "extended": "2", "closing": "3", "closed": "4", "suspended": "6"}
GENDER_EQUALITY = "1"


def reporting_org_ref() -> str:
    """The fund's IATI organisation identifier (config IATI_REPORTING_ORG_REF): set it to
    the identifier the fund is registered under; the default is a placeholder."""
    return current_app.config.get("IATI_REPORTING_ORG_REF", DEFAULT_REPORTING_ORG)


def _narrative(parent, tag: str, text: str, **attributes):
    element = etree.SubElement(parent, tag, **attributes)
    etree.SubElement(element, "narrative").text = text
    return element


def _alpha_2(code: str) -> str | None:
    country = pycountry.countries.get(alpha_3=code)
    return country.alpha_2 if country else None


def _shares(count: int) -> list[Decimal]:
    """Percentages summing to exactly 100 (IATI's rule for several recipient countries)."""
    share = (Decimal(100) / count).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return [share] * (count - 1) + [Decimal(100) - share * (count - 1)]


def _value(parent, tag: str, amount: Decimal, on: date):
    etree.SubElement(parent, tag, currency="USD", **{"value-date": on.isoformat()}).text = format_money(amount)


def _organisation_type(row) -> str:
    kind = getattr(row.organisation_type, "value", row.organisation_type)
    if kind == "ngo":
        return "22" if row.organisation_country in (row.countries or []) else "21"
    return ORGANISATION_TYPES.get(kind, "90")


def _dates(activity, row) -> None:
    history = row.source != GRANT  # finished projects: actual dates; grants: as planned
    for when, planned, actual in ((row.start_date, "1", "2"), (row.end_date, "3", "4")):
        if when is not None:
            etree.SubElement(activity, "activity-date", type=actual if history else planned,
                             **{"iso-date": when.isoformat()})
    if row.start_date is None and row.end_date is None:
        etree.SubElement(activity, "activity-date", type="2" if history else "1",
                         **{"iso-date": date(row.year, 1, 1).isoformat()})


def _money(activity, row, committed_on: date, disbursements: list) -> None:
    if row.start_date and row.end_date:
        budget = etree.SubElement(activity, "budget", type="1", status="2")
        etree.SubElement(budget, "period-start", **{"iso-date": row.start_date.isoformat()})
        etree.SubElement(budget, "period-end", **{"iso-date": row.end_date.isoformat()})
        _value(budget, "value", row.approved_usd, row.start_date)
    for code, on, amount in [("2", committed_on, row.approved_usd)] + [("3", on, a) for on, a in disbursements]:
        transaction = etree.SubElement(activity, "transaction")
        etree.SubElement(transaction, "transaction-type", code=code)
        etree.SubElement(transaction, "transaction-date", **{"iso-date": on.isoformat()})
        _value(transaction, "value", amount, on)


def activity(row, org_ref: str, disbursements: list, updated: str):
    """One <iati-activity>, its children in the order of iati-activities-schema.xsd."""
    element = etree.Element("iati-activity", **{"last-updated-datetime": updated, "default-currency": "USD",
                                                "{http://www.w3.org/XML/1998/namespace}lang": "en"})
    etree.SubElement(element, "iati-identifier").text = f"{org_ref}-{row.reference}"
    _narrative(element, "reporting-org", REPORTING_ORG_NAME, ref=org_ref, type="40")
    _narrative(element, "title", row.title)
    _narrative(element, "description", row.summary or row.title, type="1")
    _narrative(element, "participating-org", REPORTING_ORG_NAME, ref=org_ref, role="1", type="40")
    _narrative(element, "participating-org", row.organisation, role="4", type=_organisation_type(row))
    etree.SubElement(element, "activity-status", code="4" if row.source != GRANT else STATUSES.get(row.status, "2"))
    _dates(element, row)
    codes = [code for code in (_alpha_2(c) for c in row.countries or []) if code]
    for code, share in zip(codes, _shares(len(codes)) if codes else []):
        etree.SubElement(element, "recipient-country", code=code, percentage=str(share))
    etree.SubElement(element, "sector", vocabulary="1", code=SECTOR_SALW, percentage="100")
    if row.gender_marker is not None:
        etree.SubElement(element, "policy-marker", vocabulary="1", code=GENDER_EQUALITY,
                         significance=str(row.gender_marker))
    etree.SubElement(element, "default-finance-type", code="110")
    committed_on = row.approved_at.date() if row.approved_at else (row.start_date or date(row.year, 12, 31))
    _money(element, row, committed_on, disbursements)
    return element


def disbursements_by_grant(filters: dict) -> dict[int, list]:
    """{grant id: [(date, USD)]} of the filtered grants' disbursements, in one query."""
    projects = project_rows()
    grant_ids = select(projects.c.grant_id).where(projects.c.grant_id.is_not(None), *conditions(projects, filters))
    rows = db.session.execute(select(LedgerEntry.grant_id, LedgerEntry.on, LedgerEntry.amount_usd).where(
        LedgerEntry.kind == EntryKind.disbursement, LedgerEntry.grant_id.in_(grant_ids))
        .order_by(LedgerEntry.grant_id, LedgerEntry.on, LedgerEntry.id))
    found: dict[int, list] = defaultdict(list)
    for grant_id, on, amount in rows:
        found[grant_id].append((on, amount))
    return found


def iati_xml(filters: dict) -> Iterator[bytes]:
    now = utcnow().replace(microsecond=0).isoformat()
    org_ref = reporting_org_ref()
    yield (b'<?xml version="1.0" encoding="UTF-8"?>\n'
           + f'<iati-activities version="2.03" generated-datetime="{now}">\n'.encode())
    disbursements = disbursements_by_grant(filters)
    for row in project_rows_of(filters):
        element = activity(row, org_ref, disbursements.get(row.grant_id, []), now)
        yield etree.tostring(element, encoding="UTF-8", xml_declaration=False, pretty_print=True)
    yield b"</iati-activities>\n"
