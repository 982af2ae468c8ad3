"""The dashboard as its readers use it: every figure links to the list of the projects it
counts, with the filters kept; every breakdown drawn and also given as a table; a signed-in
donor sees what its own contributions paid for; the cost does not grow with the projects."""
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest

from tests.factories import make_user
from tests.helpers import web_login
from tests.portfolio.conftest import approve, load_history, two_donors
from unscar.extensions import db
from unscar.funds import services as funds

FILTERED = "/portfolio/?year_from=2014&region=Africa"


def page_of(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, url
    return lxml.html.fromstring(response.get_data(as_text=True))


def listed_total(client, href: str) -> int:
    """The number of projects the list at `href` says it holds."""
    text = page_of(client, href).text_content()
    return int(re.search(r"(\d+) in this selection", text).group(1))


def row_links(tree) -> dict[str, tuple[int, str]]:
    """{testid: (the count shown, the link's href)} of the breakdown rows."""
    return {a.get("data-testid"): (int(a.text), a.get("href"))
            for a in tree.xpath('//a[starts-with(@data-testid, "row-")]')}


def test_the_headline_figures_link_to_their_projects_with_the_filters(client, history):
    tree = page_of(client, FILTERED)
    link = tree.xpath('//a[@data-testid="projects-link"]')[0]
    assert parse_qs(urlsplit(link.get("href")).query) == {"year_from": ["2014"], "region": ["Africa"]}
    assert listed_total(client, link.get("href")) == int(link.text) > 0
    since = tree.xpath('//dd[@data-testid="since_inception"]/a')[0]
    assert parse_qs(urlsplit(since.get("href")).query) == {"region": ["Africa"]}
    assert listed_total(client, since.get("href")) == int(since.text.split()[0])


@pytest.mark.parametrize("url", ["/portfolio/", FILTERED])
def test_each_breakdown_row_links_to_a_list_of_as_many_projects(client, history, url):
    links = row_links(page_of(client, url))
    for testid in ("row-year-2015", "row-theme-legislation", "row-instrument-poa", "row-applicant_type-ngo",
                   "row-activity_type-capacity_building"):
        count, href = links[testid]
        query = parse_qs(urlsplit(href).query)
        if url == FILTERED:
            assert query["region"] == ["Africa"]  # the dashboard's filters are kept
        assert listed_total(client, href) == count, testid


def test_a_filtered_theme_leaves_other_themes_without_a_link(client, history):
    tree = page_of(client, "/portfolio/?theme=legislation")
    links = row_links(tree)
    assert [key for key in links if key.startswith("row-theme-")] == ["row-theme-legislation"]
    assert len(tree.xpath('//table[@data-testid="by_theme"]/tbody/tr')) > 1  # the others are shown, unlinked
    count, href = links["row-theme-legislation"]
    assert listed_total(client, href) == count


def test_every_breakdown_has_a_chart_pointing_to_its_table(client, history):
    tree = page_of(client, "/portfolio/?year_from=2015")
    for dimension in ("year", "theme", "region", "instrument", "activity_type", "applicant_type", "gender_marker"):
        image = tree.xpath(f'//img[@data-testid="chart-{dimension}"]')[0]
        assert "year_from=2015" in image.get("src")
        caption = tree.xpath(f'//table[@id="table-{dimension}"]/caption')[0].text_content()
        assert caption.split(" (")[0].strip() in image.get("alt")
        response = client.get(image.get("src"))
        assert response.status_code == 200 and response.mimetype == "image/png"


def _signed_in_donor(client, donor):
    user = make_user("donor", donor_id=donor.id)
    web_login(client, user.email)
    return user


def test_a_donor_sees_what_its_own_money_paid_for(client):
    norway, _japan, (first, second, third) = two_donors()
    _signed_in_donor(client, norway)
    tree = page_of(client, "/portfolio/")
    own = tree.xpath('//section[@data-testid="own-money"]')[0]
    rows = own.xpath('.//table[@data-testid="own-projects-table"]/tbody/tr')
    shown = {row.xpath("td[1]/a")[0].text: Decimal(row.xpath("td[4]")[0].text.replace(",", "")) for row in rows}
    shares = {g["grant_id"]: g["attributed_usd"] for g in funds.donor_summary(norway)["grants"]}
    assert shares[first.id] == Decimal("43500.00") and Decimal(0) < shares[third.id] < Decimal("43500.00")
    assert shown == {first.proposal.reference: shares[first.id], third.proposal.reference: shares[third.id]}
    assert own.xpath('.//dd[@data-testid="own-received"]')[0].text == "100,000.00"
    assert own.xpath('.//dd[@data-testid="own-attributed"]')[0].text == f"{sum(shares.values()):,.2f}"
    link = own.xpath('.//dd[@data-testid="own-projects"]/a')[0]
    assert int(link.text) == 2 == listed_total(client, link.get("href"))
    assert second.proposal.reference not in page_of(client, link.get("href")).text_content()
    checkbox = tree.xpath('//input[@id="f-donor_id"]')[0]
    assert checkbox.get("value") == str(norway.id) and checkbox.get("checked") is None


def test_the_public_other_roles_and_unlinked_donors_see_no_own_money(client):
    norway, _japan, _grants = two_donors()
    assert not page_of(client, "/portfolio/").xpath('//section[@data-testid="own-money"]')
    web_login(client, make_user("secretariat").email)
    assert not page_of(client, "/portfolio/").xpath('//*[@id="f-donor_id"]')
    unlinked = client.application.test_client()
    web_login(unlinked, make_user("donor").email)  # a donor's representative not yet linked to its donor
    assert not page_of(unlinked, "/portfolio/").xpath('//section[@data-testid="own-money"]')


def test_a_bad_filter_keeps_no_bad_value_in_the_links(client, history):
    response = client.get("/portfolio/?theme=banana&year_from=2015")
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    assert response.status_code == 422
    assert tree.xpath('//a[@data-testid="projects-link"]')[0].get("href") == "/portfolio/projects"


def test_a_donors_dashboard_costs_as_many_statements_for_many_projects_as_for_few(client, count_statements):
    norway, _japan, _grants = two_donors()
    _signed_in_donor(client, norway)
    with count_statements() as few:
        assert client.get("/portfolio/").status_code == 200
    load_history()
    approve(3)
    with count_statements() as many:
        assert client.get("/portfolio/").status_code == 200
    assert len(many) == len(few)
