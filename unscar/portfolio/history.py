"""Importing the fund's history: past projects from a CSV file in the columns of API.md
"Portfolio", each row checked on its own and reported by its line number.

A row is imported whole or not at all: every value is checked before anything is
written, and the good rows go in one transaction with one audit event. A reference
already in the portfolio is skipped, so importing the same file twice changes nothing.
Imported projects are portfolio records only (portfolio/models.py): no grant, no
ledger entry, so the fund's figures do not move.
"""
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import record_event
from ..errors import PermissionDenied, ValidationFailed
from ..extensions import db
from ..inputs import unstorable_text_message
from ..money import MoneyError, parse_money
from ..permissions import has_role
from ..proposals.models import Proposal
from ..regions import is_country
from ..roles import STAFF_ROLES
from ..vocabulary import ACTIVITY_TYPE_LABELS, INSTRUMENT_LABELS, THEME_LABELS, OrganisationType
from .models import NAME_MAX, REFERENCE_MAX, TITLE_MAX, PastProject

COLUMNS = ("year", "reference", "organisation", "organisation_type", "organisation_country", "title", "countries",
           "themes", "activity_types", "instruments", "approved_usd", "start_date", "end_date")
OPTIONAL = ("gender_marker",)
VOCABULARIES = {"themes": THEME_LABELS, "activity_types": ACTIVITY_TYPE_LABELS, "instruments": INSTRUMENT_LABELS}
FIRST_YEAR = 1990
DATE_TEXT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass
class ImportResult:
    imported: int = 0
    skipped: int = 0
    errors: list[dict] = field(default_factory=list)


class RowError(ValueError):
    """A value of one row that cannot be imported."""


def read_rows(text: str) -> list[tuple[int, dict]]:
    """(line number, row) of each data row; the header is line 1. A file without the
    columns of API.md is refused whole (422)."""
    reader = csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise ValidationFailed(_("The file lacks columns of API.md."), errors={"file": [
            _("Missing column(s): %(missing)s. The columns are: %(columns)s.", missing=", ".join(missing),
              columns=", ".join(COLUMNS))]})
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items() if isinstance(k, str)}))
    except csv.Error as error:
        raise ValidationFailed(_("The file is not valid CSV."), errors={"file": [
            _("Line %(line)s: %(error)s", line=reader.line_num, error=error)]}) from None
    return rows


def _text(row: dict, name: str, limit: int) -> str:
    value = row.get(name, "")
    if not value:
        raise RowError(_("%(column)s is required.", column=name))
    if len(value) > limit:
        raise RowError(_("%(column)s may be at most %(limit)s characters.", column=name, limit=limit))
    return value


def _keys(row: dict, name: str) -> list[str]:
    keys = [key.strip() for key in row.get(name, "").split(";") if key.strip()]
    unknown = [key for key in keys if key not in VOCABULARIES[name]]
    if unknown:
        raise RowError(_("%(column)s: unknown key(s) %(keys)s.", column=name, keys=", ".join(unknown)))
    return list(dict.fromkeys(keys))


def _countries(value: str, name: str) -> list[str]:
    codes = [code.strip().upper() for code in value.split(";") if code.strip()]
    bad = [code for code in codes if len(code) != 3 or not is_country(code)]
    if bad:
        raise RowError(_("%(column)s: %(codes)s; give ISO 3166-1 alpha-3 codes.", column=name, codes=", ".join(bad)))
    if not codes:
        raise RowError(_("%(column)s: none given; give ISO 3166-1 alpha-3 codes.", column=name))
    return list(dict.fromkeys(codes))


def _date(row: dict, name: str) -> date | None:
    value = row.get(name, "")
    if not value:
        return None
    try:
        if not DATE_TEXT.fullmatch(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise RowError(_("%(column)s is not a date YYYY-MM-DD: %(value)s.", column=name, value=value[:20])) from None


def _integer(value: str, name: str, low: int, high: int) -> int:
    if not value.isascii() or not value.isdigit() or not low <= int(value) <= high:
        raise RowError(_("%(column)s must be a whole number from %(low)s to %(high)s.", column=name, low=low,
                         high=high))
    return int(value)


def project_from(row: dict, this_year: int) -> PastProject:
    """The project a row describes, unsaved; RowError names the first bad value."""
    for value in row.values():
        if (message := unstorable_text_message(value)) is not None:
            raise RowError(message)
    if row["organisation_type"] not in {t.value for t in OrganisationType}:
        raise RowError(_("organisation_type: unknown key %(key)s.", key=row["organisation_type"][:40]))
    try:
        approved = parse_money(row["approved_usd"])
    except MoneyError as error:
        raise RowError(_("approved_usd: %(error)s", error=error)) from None
    if approved <= 0:
        raise RowError(_("approved_usd must be more than zero."))
    start, end = _date(row, "start_date"), _date(row, "end_date")
    if start and end and end < start:
        raise RowError(_("end_date comes before start_date."))
    marker = row.get("gender_marker", "")
    return PastProject(
        year=_integer(row["year"], "year", FIRST_YEAR, this_year), reference=_text(row, "reference", REFERENCE_MAX),
        title=_text(row, "title", TITLE_MAX), organisation_name=_text(row, "organisation", NAME_MAX),
        organisation_type=OrganisationType(row["organisation_type"]),
        organisation_country=_countries(row["organisation_country"], "organisation_country")[0],
        countries=_countries(row["countries"], "countries"), themes=_keys(row, "themes"),
        activity_types=_keys(row, "activity_types"), instruments=_keys(row, "instruments"),
        gender_marker=_integer(marker, "gender_marker", 0, 2) if marker else None,
        approved_usd=approved, start_date=start, end_date=end)


def _references_taken(references: list[str]) -> set[str]:
    """Those already in the portfolio: imported before, or a proposal's of this system."""
    taken = set(db.session.scalars(select(PastProject.reference).where(PastProject.reference.in_(references))))
    return taken | set(db.session.scalars(select(Proposal.reference).where(Proposal.reference.in_(references))))


def import_history(actor, rows: list[tuple[int, dict]], this_year: int, on_row=None) -> ImportResult:
    """Import the rows of read_rows(); `on_row(1)` after each (the command line's progress
    bar). The secretariat, an admin, or the command line (actor None) only; the caller
    commits."""
    if actor is not None and not has_role(actor, *STAFF_ROLES):
        raise PermissionDenied(_("Only the secretariat imports the fund's history."))
    result, seen, made = ImportResult(), {}, []
    taken = _references_taken([row.get("reference", "") for _line, row in rows])
    for line, row in rows:
        if on_row is not None:
            on_row(1)
        reference = row.get("reference", "")
        if reference in taken:
            result.skipped += 1
            continue
        if reference in seen:
            result.errors.append({"line": line, "message": _("reference repeats line %(line)s.",
                                                              line=seen[reference])})
            continue
        try:
            project = project_from(row, this_year)
        except RowError as error:
            result.errors.append({"line": line, "message": str(error)})
            continue
        seen[reference] = line
        project.imported_by_id = getattr(actor, "id", None)
        made.append(project)
    db.session.add_all(made)
    result.imported = len(made)
    if made:
        db.session.flush()
        record_event(actor, "portfolio.history_imported", object_type="past_projects",
                     after={"imported": result.imported, "skipped": result.skipped, "errors": len(result.errors),
                            "references": [project.reference for project in made]})
    return result
