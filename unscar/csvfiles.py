"""Writing CSV files that spreadsheets open safely, for every part's downloads.

UTF-8 with a byte-order mark: Excel, which most of the secretariat opens them with, reads
a CSV without one in the machine's legacy code page and garbles names such as
"Côte d'Ivoire"; LibreOffice, pandas (encoding="utf-8-sig") and Python's csv module
read it either way. Lines are written one by one, so a download streams.
"""
import csv
import io
import re
from collections.abc import Iterable, Iterator

BOM = "\ufeff"
# A cell starting with one of these is a formula to Excel or LibreOffice (the full-width
# forms too, which Excel reads as their ASCII twins in East Asian locales): such text is
# prefixed with an apostrophe so it stays text (OWASP "CSV injection"). Leading spaces do
# not hide a formula from every spreadsheet, so they are looked past.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
# A plain number ("-12.50") is data, not a formula, and stays a number.
_NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def safe_text(value: str) -> str:
    """Text as a spreadsheet cell that is never read as a formula."""
    if _NUMBER.fullmatch(value):
        return value
    return f"'{value}" if value.lstrip(" ").startswith(FORMULA_STARTS) else value


def csv_lines(header: list[str], rows: Iterable[list[str]]) -> Iterator[str]:
    """The BOM and the header, then each row as one CSV line (RFC 4180, CRLF), every text
    cell formula-safe: a column added later is safe without anyone remembering to."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    yield BOM + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_text(cell) if isinstance(cell, str) else cell for cell in row])
        yield buffer.getvalue()
