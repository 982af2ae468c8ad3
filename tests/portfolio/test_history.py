"""Importing the fund's history (POST /api/v1/portfolio/import and `flask unscar
import-history`): good rows imported, bad ones reported by line and never half-imported,
the same file twice changes nothing, the fund's figures never move, one audit event."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import make_user
from tests.helpers import bearer
from tests.portfolio.conftest import API, HISTORY, approve
from unscar.audit.models import AuditEvent
from unscar.extensions import db
from unscar.funds.services import fund_figures
from unscar.portfolio.history import COLUMNS
from unscar.portfolio.models import PastProject

GOOD = ("2015,UNSCAR-2015-H001,Viva Rio,ngo,BRA,Community arms collection in Rio,BRA,public_awareness,"
        "capacity_building,poa,120000.50,2016-01-01,2016-12-31")


def csv_of(*rows: str) -> str:
    return ",".join(COLUMNS) + "\n" + "\n".join(rows) + "\n"


def post(client, headers, text: str, content_type: str = "text/csv"):
    return client.post(f"{API}/import", data=text.encode("utf-8"), headers={**headers, "Content-Type": content_type})


@pytest.fixture
def staff(client):
    return bearer(client, make_user("secretariat"))


def test_importing_the_same_file_twice_changes_nothing(client, staff):
    text = HISTORY.read_text(encoding="utf-8")
    first = post(client, staff, text)
    assert first.status_code == 201 and first.get_json() == {"imported": 39, "skipped": 0, "errors": []}
    again = post(client, staff, text)
    assert again.get_json() == {"imported": 0, "skipped": 39, "errors": []}
    assert db.session.scalar(select(func.count()).select_from(PastProject)) == 39
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "portfolio.history_imported")).all()
    assert len(events) == 1 and events[0].after["imported"] == 39


def test_the_fund_figures_do_not_move(client, staff):
    approve(1)
    before = fund_figures()
    post(client, staff, HISTORY.read_text(encoding="utf-8"))
    assert fund_figures() == before


@pytest.mark.parametrize("row, words", [
    (GOOD.replace(",ngo,", ",company,"), "organisation_type"),
    (GOOD.replace(",BRA,Community", ",BRZ,Community"), "organisation_country"),
    (GOOD.replace("Rio,BRA,public", "Rio,XXX,public"), "countries"),
    (GOOD.replace("public_awareness", "public_awareness;banana"), "themes: unknown key(s) banana"),
    (GOOD.replace("capacity_building", "knitting"), "activity_types"),
    (GOOD.replace(",poa,", ",nato,"), "instruments"),
    (GOOD.replace("120000.50", "12x"), "approved_usd"),
    (GOOD.replace("120000.50", "-5"), "approved_usd"),
    (GOOD.replace("120000.50", "0"), "approved_usd"),
    (GOOD.replace("2016-01-01", "01/01/2016"), "start_date"),
    (GOOD.replace("2016-12-31", "2015-12-31"), "end_date comes before"),
    (GOOD.replace("2015,", "1815,", 1), "year"),
    (GOOD.replace("Community arms collection in Rio", ""), "title is required"),
])
def test_a_bad_row_is_reported_by_its_line_and_the_good_ones_imported(client, staff, row, words):
    good_too = GOOD.replace("H001", "H002")
    body = post(client, staff, csv_of(row, good_too)).get_json()
    assert body["imported"] == 1 and body["skipped"] == 0
    assert len(body["errors"]) == 1 and body["errors"][0]["line"] == 2 and words in body["errors"][0]["message"]
    assert db.session.scalars(select(PastProject.reference)).all() == ["UNSCAR-2015-H002"]


def test_a_reference_repeated_in_the_file_is_an_error_line(client, staff):
    body = post(client, staff, csv_of(GOOD, GOOD)).get_json()
    assert body["imported"] == 1 and body["errors"] == [{"line": 3, "message": "reference repeats line 2."}]


def test_a_reference_of_a_proposal_is_never_imported_over_it(client, staff):
    grant = approve(1)[0]
    row = GOOD.replace("UNSCAR-2015-H001", grant.proposal.reference)
    assert post(client, staff, csv_of(row)).get_json()["skipped"] == 1
    assert db.session.scalar(select(func.count()).select_from(PastProject)) == 0


def test_an_imported_row_keeps_its_values(client, staff):
    post(client, staff, csv_of(GOOD))
    project = client.get(f"{API}/projects/UNSCAR-2015-H001").get_json()
    assert project["approved_usd"] == "120000.50" and project["organisation"] == {
        "name": "Viva Rio", "type": "ngo", "country": "BRA"}
    assert (project["source"], project["status"], project["disbursed_usd"], project["regions"]) == (
        "history", "closed", None, ["Americas"])


@pytest.mark.parametrize("text, content_type, status", [
    ("year,title\n2015,x\n", "text/csv", 422),
    ("not,a,file", "application/json", 400),
])
def test_a_file_that_is_no_history_is_refused_whole(client, staff, text, content_type, status):
    response = post(client, staff, text, content_type)
    assert response.status_code == status and response.mimetype == "application/problem+json"


def test_a_file_that_is_not_utf8_is_422(client, staff):
    response = client.post(f"{API}/import", data=csv_of(GOOD).encode("utf-16"),
                           headers={**staff, "Content-Type": "text/csv"})
    assert response.status_code == 422


@pytest.mark.parametrize("role, status", [("donor", 403), ("applicant", 403), ("reviewer", 403)])
def test_only_the_secretariat_imports(client, role, status):
    response = post(client, bearer(client, make_user(role)), csv_of(GOOD))
    assert response.status_code == status
    assert client.post(f"{API}/import", data=b"x", headers={"Content-Type": "text/csv"}).status_code == 401


def test_the_command_imports_once_with_a_progress_bar(runner, tmp_path):
    path = tmp_path / "history.csv"
    path.write_text(csv_of(GOOD, GOOD.replace("H001", "H002").replace("ngo", "club")), encoding="utf-8")
    first = runner.invoke(args=["unscar", "import-history", str(path)])
    assert first.exit_code == 0, first.output
    assert "Imported 1, skipped 0 already there, 1 with errors." in first.output
    assert "line 3: organisation_type" in first.output
    again = runner.invoke(args=["unscar", "import-history", str(path)])
    assert "Imported 0, skipped 1" in again.output
    assert db.session.scalar(select(PastProject.approved_usd)) == Decimal("120000.50")
