"""Writing CSV files that spreadsheets open safely, for every part's downloads.

UTF-8 with a byte-order mark: Excel, which most of the secretariat opens them with, reads
a CSV without one in the machine's legacy code page and garbles names such as
"Côte d'Ivoire"; LibreOffice, pandas (encoding="utf-8-sig") and Python's csv module
read it either way. Lines are written one by one, so a download streams.
"""
import csv
import io
from collections.abc import Iterable, Iterator

BOM = "\ufeff"
# A cell starting with one of these is a formula to Excel; text that people typed is
# prefixed with an apostrophe so it stays text (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Text as a spreadsheet cell that is never read as a formula."""
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def csv_lines(header: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    """The BOM and the header, then each row as one CSV line (RFC 4180, CRLF)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield BOM + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        yield buffer.getvalue()
