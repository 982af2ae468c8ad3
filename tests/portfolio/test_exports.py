"""The exports of the filtered portfolio: IATI 2.03 XML valid against the official XSD with
codes from its codelists, the 360Giving package valid against its JSON schema (on the
imported history, on approved grants with disbursements, and on the demo), CSV with a BOM
and formula-safe text, XLSX with a sheet per breakdown; anyone may download them."""
import io
import json
from datetime import date
from decimal import Decimal

from lxml import etree

from tests.factories import make_user
from tests.portfolio.conftest import API, approve
from tests.portfolio.standards import giving_problems, iati_problems
from unscar.demo import load_demo
from unscar.extensions import db
from unscar.funds import services as funds


def iati(client, query: str = ""):
    response = client.get(f"{API}/iati.xml?{query}")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    return etree.parse(io.BytesIO(response.get_data()))


def giving(client, query: str = "") -> dict:
    response = client.get(f"{API}/360giving.json?{query}")
    assert response.status_code == 200
    return json.loads(response.get_data(as_text=True))


def test_the_history_exports_are_valid_against_the_official_schemas(client, history):
    document = iati(client)
    assert iati_problems(document) == []
    assert len(document.xpath("//iati-activity")) == 39
    assert document.xpath("//iati-activity/activity-status/@code") == ["4"] * 39
    package = giving(client)
    assert giving_problems(package) == [] and len(package["grants"]) == 39


def test_grants_with_disbursements_export_valid_transactions(client, history):
    grant = approve(1, countries=["KEN", "UGA", "TZA"])[0]
    funds.record_disbursement(make_user("secretariat"), grant.id, Decimal("12345.67"), date.today())
    db.session.commit()
    document = iati(client, "year_from=2020")
    assert iati_problems(document) == []
    assert document.xpath("//transaction[transaction-type/@code='3']/value/text()") == ["12345.67"]
    assert [Decimal(p) for p in document.xpath("//recipient-country/@percentage")] == [
        Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]
    package = giving(client, "year_from=2020")
    assert giving_problems(package) == []
    assert package["grants"][0]["amountDisbursed"] == 12345.67
    raw = client.get(f"{API}/360giving.json?year_from=2020").get_data(as_text=True)
    assert '"amountAwarded": %s' % grant.approved_usd in raw  # the Decimal's own digits


def test_the_demo_exports_are_valid_against_the_official_schemas(client):
    load_demo()
    db.session.commit()
    assert iati_problems(iati(client)) == []
    package = giving(client)
    assert giving_problems(package) == [] and len(package["grants"]) > 39


def test_the_csv_has_a_bom_one_row_per_project_and_formula_safe_text(client, history):
    approve(1, title="=HYPERLINK(\"http://evil\")")
    response = client.get(f"{API}/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data().decode("utf-8")
    assert text.startswith("\ufeffreference,year,title")
    assert len(text.strip().splitlines()) == 1 + 40
    assert "'=HYPERLINK" in text


def test_the_xlsx_has_the_projects_and_a_sheet_per_breakdown(client, history):
    from openpyxl import load_workbook

    response = client.get(f"{API}/export.xlsx?year_from=2016")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.get_data()), read_only=True)
    assert book.sheetnames[:2] == ["Projects", "By year"] and "By gender marker" in book.sheetnames
    rows = list(book["Projects"].iter_rows(values_only=True))
    assert len(rows) == 12 and sum(Decimal(str(r[12])) for r in rows[1:]) == Decimal("1700000.00")


def test_bad_filters_refuse_every_export(client):
    for path in ("export.csv", "export.xlsx", "iati.xml", "360giving.json"):
        assert client.get(f"{API}/{path}?region=Narnia").status_code == 422
