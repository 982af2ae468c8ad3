"""The filtered portfolio as CSV and XLSX: one row per funded project (XLSX adds a sheet
per breakdown). Both are written as the rows are read, in batches, so a large portfolio
streams; text is made formula-safe (unscar/csvfiles.py), money is a plain two-decimal
number, and an imported project's disbursed and spent cells are empty (no ledger).

Generators: the query runs at the first chunk, once stream_with_context has pushed the
request's contexts again (see screening/export.py for why).

Column headings and sheet names are in the request's language (in English, the field
names of API.md); the cells keep the codes (vocabulary keys, ISO codes, statuses).
"""
import re
import tempfile
from collections.abc import Iterator
from decimal import Decimal

from flask_babel import gettext as _

from ..csvfiles import csv_lines, safe_text
from ..extensions import db
from ..money import format_money
from ..regions import regions_of
from ..vocabulary import N_, Labels
from .dashboard import BREAKDOWNS
from .records import GRANT, filtered_projects

HEADER = ["reference", "year", "title", "organisation", "organisation_type", "organisation_country", "countries",
          "regions", "themes", "activity_types", "instruments", "gender_marker", "approved_usd", "disbursed_usd",
          "spent_usd", "start_date", "end_date", "status", "source"]
ROWS_PER_FETCH = 500
CHUNK = 64 * 1024
COLUMN_LABELS = Labels({
    "reference": N_("reference"), "year": N_("year"), "title": N_("title"), "organisation": N_("organisation"),
    "organisation_type": N_("organisation_type"), "organisation_country": N_("organisation_country"),
    "countries": N_("countries"), "regions": N_("regions"), "themes": N_("themes"),
    "activity_types": N_("activity_types"), "instruments": N_("instruments"), "gender_marker": N_("gender_marker"),
    "approved_usd": N_("approved_usd"), "disbursed_usd": N_("disbursed_usd"), "spent_usd": N_("spent_usd"),
    "start_date": N_("start_date"), "end_date": N_("end_date"), "status": N_("status"), "source": N_("source"),
    "key": N_("key"), "projects": N_("projects"),
})
# What a spreadsheet refuses in a sheet's name, and its length limit.
SHEET_NAME_REFUSED = re.compile(r"[\\/*?:\[\]]")
SHEET_NAME_MAX = 31


def headings(columns) -> list[str]:
    return [COLUMN_LABELS[name] for name in columns]


def sheet_name(text: str) -> str:
    return SHEET_NAME_REFUSED.sub(" ", str(text))[:SHEET_NAME_MAX]


def _ledger_money(row, amount) -> str:
    if row.source != GRANT:
        return ""
    return format_money(amount) if amount is not None else "0.00"


def project_row(row) -> list[str]:
    return [safe_text(row.reference), str(row.year), safe_text(row.title), safe_text(row.organisation),
            getattr(row.organisation_type, "value", row.organisation_type), row.organisation_country,
            ";".join(row.countries or []), ";".join(regions_of(row.countries or [])), ";".join(row.themes or []),
            ";".join(row.activity_types or []), ";".join(row.instruments or []),
            "" if row.gender_marker is None else str(row.gender_marker), format_money(row.approved_usd),
            _ledger_money(row, row.disbursed_usd), _ledger_money(row, row.spent_usd),
            row.start_date.isoformat() if row.start_date else "", row.end_date.isoformat() if row.end_date else "",
            row.status, row.source]


def project_rows_of(filters: dict) -> Iterator:
    """The filtered projects, fetched in batches; the cursor closed however the caller stops."""
    _projects, stmt = filtered_projects(filters)
    result = db.session.execute(stmt.execution_options(yield_per=ROWS_PER_FETCH))
    try:
        yield from result
    finally:
        result.close()


def portfolio_csv(filters: dict) -> Iterator[str]:
    yield from csv_lines(headings(HEADER), (project_row(row) for row in project_rows_of(filters)))


def _numbers(cells: list[str]) -> list:
    """XLSX cells: amounts as numbers a spreadsheet sums (openpyxl writes a Decimal's
    digits as they are), the year and marker as integers."""
    typed: list = list(cells)
    for name in ("approved_usd", "disbursed_usd", "spent_usd"):
        i = HEADER.index(name)
        typed[i] = Decimal(cells[i]) if cells[i] else None
    for name in ("year", "gender_marker"):
        i = HEADER.index(name)
        typed[i] = int(cells[i]) if cells[i] else None
    return typed


def portfolio_xlsx(filters: dict, figures: dict) -> Iterator[bytes]:
    """The workbook, written row by row (openpyxl's write-only mode) to a temporary file
    that is then streamed in chunks: XLSX is a zip, finished only when complete."""
    from openpyxl import Workbook  # only for this download: the application starts without it

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name(_("Projects")))
    sheet.append(headings(HEADER))
    for row in project_rows_of(filters):
        sheet.append(_numbers(project_row(row)))
    for shown in BREAKDOWNS:
        breakdown = book.create_sheet(sheet_name(shown.heading))
        # The year series carries the money received and spent too (figures.by_year).
        columns = ["projects", "approved_usd"] + (["disbursed_usd", "spent_usd"] if shown.name == "by_year" else [])
        breakdown.append(headings(["key", *columns]))
        for entry in figures[shown.name]:
            key = entry["key"]
            breakdown.append([safe_text(key) if isinstance(key, str) else key, *(entry[c] for c in columns)])
    with tempfile.TemporaryFile() as spool:
        book.save(spool)
        spool.seek(0)
        while chunk := spool.read(CHUNK):
            yield chunk
