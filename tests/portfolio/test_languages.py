"""The portfolio in the reader's language: the pages, the summary paragraph (the API's too),
the charts (a French chart is never served to an English reader, from the cache or as a
304), the CSV and XLSX headings and sheet names. The codes stay as they are."""
import io

import lxml.html

from tests.api.catalogue import pretend_french  # noqa: F401  (fixture)
from tests.portfolio.conftest import API

FRENCH = {"Accept-Language": "fr"}
SUMMARY = {
    ("Since its establishment in %(year)s, the fund has financed %(num)d project around the world with a total "
     "budget of %(amount)s",
     "Since its establishment in %(year)s, the fund has financed %(num)d projects around the world with a total "
     "budget of %(amount)s"):
        ("Depuis sa création en %(year)s, le fonds a financé %(num)d projet dans le monde pour un budget total "
         "%(amount)s",) + ("Depuis sa création en %(year)s, le fonds a financé %(num)d projets dans le monde pour "
                           "un budget total %(amount)s",) * 2,  # French has three plural forms (CLDR)
    ("in %(year)s it financed %(num)d project for %(amount)s, on %(themes)s, through %(activities)s.",
     "in %(year)s it financed %(num)d projects for %(amount)s, on %(themes)s, through %(activities)s."):
        ("en %(year)s il a financé %(num)d projet pour %(amount)s, sur %(themes)s, par %(activities)s.",)
        + ("en %(year)s il a financé %(num)d projets pour %(amount)s, sur %(themes)s, par %(activities)s.",) * 2,
    "%(since)s; %(last_year)s": "%(since)s ; %(last_year)s",
    "about USD %(amount)s million": "d'environ %(amount)s millions d'USD",
    "%(list)s and %(item)s": "%(list)s et %(item)s",
    "Legislation": "Législation",
}


def test_the_dashboard_reads_in_french_with_the_same_codes(client, history, pretend_french):
    pretend_french({**SUMMARY, "The fund's portfolio": "Le portefeuille du fonds", "By theme": "Par thème",
                    "Africa": "Afrique", "Apply": "Appliquer"})
    tree = lxml.html.fromstring(client.get("/portfolio/", headers=FRENCH).get_data(as_text=True))
    assert tree.xpath("//h1")[0].text == "Le portefeuille du fonds"
    assert tree.xpath('//h2[@id="h-by_theme"]')[0].text == "Par thème"
    assert tree.xpath('//select[@id="f-region"]/option[@value="Africa"]')[0].text == "Afrique"
    summary = tree.xpath('//p[@data-testid="summary"]')[0].text
    assert summary.startswith("Depuis sa création en 2013, le fonds a financé 39 projets dans le monde pour un "
                              "budget total d'environ 6,0 millions d'USD ; en 2016 il a financé 11 projets pour "
                              "d'environ 1,7 millions d'USD, sur législation")
    english = lxml.html.fromstring(client.get("/portfolio/").get_data(as_text=True))
    assert english.xpath("//h1")[0].text == "The fund's portfolio"


def test_the_apis_summary_follows_accept_language(client, history, pretend_french):
    pretend_french(SUMMARY)
    french = client.get(API, headers=FRENCH).get_json()
    assert french["summary_text"].startswith("Depuis sa création en 2013")
    assert client.get(API).get_json()["summary_text"].startswith("Since its establishment in 2013")
    assert [entry["key"] for entry in french["by_theme"]][:1] == ["legislation"]  # codes unchanged


def test_a_chart_is_kept_and_tagged_per_language(client, history, pretend_french):
    pretend_french({"USD million": "millions d'USD", "approved": "approuvé",
                    "USD approved by theme": "USD approuvés par thème"})
    for url in ("/portfolio/years.png", "/portfolio/theme.png"):
        english = client.get(url)
        french = client.get(url, headers=FRENCH)
        assert english.status_code == french.status_code == 200
        assert english.headers["ETag"] != french.headers["ETag"] and english.data != french.data
        # A reader who changed language revalidates with the other language's tag: a new picture, not 304.
        again = client.get(url, headers={**FRENCH, "If-None-Match": english.headers["ETag"]})
        assert again.status_code == 200 and again.data == french.data
        assert client.get(url, headers={"If-None-Match": english.headers["ETag"]}).status_code == 304
        assert "Accept-Language" in english.headers["Vary"]


def test_the_downloads_have_french_headings_and_the_same_cells(client, history, pretend_french):
    from openpyxl import load_workbook

    pretend_french({"reference": "référence", "year": "année", "Projects": "Projets", "By year": "Par année",
                    "key": "clé"})
    french = client.get(f"{API}/export.csv", headers=FRENCH).get_data().decode("utf-8")
    english = client.get(f"{API}/export.csv").get_data().decode("utf-8")
    assert french.startswith("\ufeffréférence,année,title")
    assert french.splitlines()[1:] == english.splitlines()[1:]
    book = load_workbook(io.BytesIO(client.get(f"{API}/export.xlsx", headers=FRENCH).get_data()), read_only=True)
    assert book.sheetnames[:2] == ["Projets", "Par année"]
    assert next(book["Par année"].iter_rows(values_only=True))[:2] == ("clé", "projects")


def test_a_sheet_name_is_one_a_spreadsheet_accepts():
    from unscar.portfolio.exports import sheet_name

    assert sheet_name("Par type: [demandeur]/organisation ou autre chose") == "Par type   demandeur  organisat"
