"""The intake list as CSV: one row per proposal, written row by row as it is read.

UTF-8 with a byte-order mark and formula-safe text (unscar/csvfiles.py). Money is a plain
two-decimal string (no thousands separator, no currency sign) so spreadsheets read it as
a number. Times are ISO 8601 in UTC.
"""
from collections.abc import Iterator

from ..csvfiles import csv_lines, safe_text
from ..extensions import db
from ..money import format_money
from ..proposals.models import Proposal

HEADER = ["reference", "title", "status", "submitted_at", "requested_usd", "organisation", "organisation_type",
          "organisation_country", "organisation_verified", "countries", "themes", "eligible", "problems"]
ROWS_PER_FETCH = 500


def proposal_row(proposal: Proposal) -> list[str]:
    """Needs proposal.organisation loaded."""
    organisation = proposal.organisation
    checks = proposal.checks_snapshot or {}
    return [proposal.reference, safe_text(proposal.title), proposal.status.value,
            proposal.submitted_at.isoformat() if proposal.submitted_at else "",
            format_money(proposal.requested_usd), safe_text(organisation.name), organisation.type.value,
            organisation.country, "yes" if organisation.is_verified else "no",
            ";".join(proposal.countries), ";".join(proposal.themes),
            {True: "yes", False: "no"}.get(checks.get("eligible"), ""),
            ";".join(problem["code"] for problem in checks.get("problems", []))]


def intake_csv(stmt) -> Iterator[str]:
    """The proposals of the intake statement as CSV, fetched in batches.

    A generator: the query runs at the first line, when stream_with_context has pushed
    the request's contexts again. Flask ends the view's session before streaming starts,
    so a cursor opened in the view would be closed by then (PostgreSQL: "cursor does not
    exist")."""
    proposals = db.session.scalars(stmt.execution_options(yield_per=ROWS_PER_FETCH))
    try:
        yield from csv_lines(HEADER, (proposal_row(proposal) for proposal in proposals))
    finally:
        proposals.close()  # a download stopped half-way leaves no server-side cursor open
