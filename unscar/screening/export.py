"""The intake list as CSV: one row per proposal, written row by row as it is read.

UTF-8 with a byte-order mark: Excel, which most of the secretariat opens it with, reads
a CSV without one in the machine's legacy code page and garbles names such as
"Côte d'Ivoire"; LibreOffice, pandas (encoding="utf-8-sig") and Python's csv module
read it either way. Money is a plain two-decimal string (no thousands separator, no
currency sign) so spreadsheets read it as a number. Times are ISO 8601 in UTC.
"""
import csv
import io
from collections.abc import Iterable, Iterator

from ..extensions import db
from ..money import format_money
from ..proposals.models import Proposal

BOM = "\ufeff"
HEADER = ["reference", "title", "status", "submitted_at", "requested_usd", "organisation", "organisation_type",
          "organisation_country", "organisation_verified", "countries", "themes", "eligible", "problems"]
# A cell starting with one of these is a formula to Excel; text from applicants is
# prefixed with an apostrophe so it stays text (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_FETCH = 500


def _text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def proposal_row(proposal: Proposal) -> list[str]:
    """Needs proposal.organisation loaded."""
    organisation = proposal.organisation
    checks = proposal.checks_snapshot or {}
    return [proposal.reference, _text(proposal.title), proposal.status.value,
            proposal.submitted_at.isoformat() if proposal.submitted_at else "",
            format_money(proposal.requested_usd), _text(organisation.name), organisation.type.value,
            organisation.country, "yes" if organisation.is_verified else "no",
            ";".join(proposal.countries), ";".join(proposal.themes),
            {True: "yes", False: "no"}.get(checks.get("eligible"), ""),
            ";".join(problem["code"] for problem in checks.get("problems", []))]


def csv_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """The BOM and the header, then each row as one CSV line (RFC 4180, CRLF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    yield BOM + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()


def intake_csv(stmt) -> Iterator[str]:
    """The proposals of the intake statement as CSV, fetched in batches.

    A generator: the query runs at the first line, when stream_with_context has pushed
    the request's contexts again. Flask ends the view's session before streaming starts,
    so a cursor opened in the view would be closed by then (PostgreSQL: "cursor does not
    exist")."""
    proposals = db.session.scalars(stmt.execution_options(yield_per=ROWS_PER_FETCH))
    try:
        yield from csv_lines(proposal_row(proposal) for proposal in proposals)
    finally:
        proposals.close()  # a download stopped half-way leaves no server-side cursor open
