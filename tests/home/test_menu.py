"""The menu: each role's pages, the page shown marked for screen readers (aria-current),
and, for the secretariat and donors, the panels and rankings of the calls in review."""
import lxml.html

from tests.builders import proposals_under_review
from tests.factories import make_user
from tests.helpers import web_login
from unscar.extensions import db


def menu(client, url: str):
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.get_data(as_text=True)).xpath('//nav[contains(@class, "navbar")]')[0]


def hrefs(nav) -> list[str]:
    return nav.xpath(".//a/@href")


def test_the_menu_marks_the_page_shown_and_only_that_one(client):
    staff = make_user("secretariat")
    db.session.commit()
    web_login(client, staff.email)
    nav = menu(client, "/screening/")
    assert nav.xpath('.//a[@aria-current="page"]/@href') == ["/screening/"]
    assert nav.xpath('.//a[@aria-current="page"]')[0].text_content().strip() == "Intake"
    assert menu(client, "/calls/").xpath('.//a[@aria-current="page"]/@href') == ["/calls/"]
    assert menu(client, "/profile").xpath('.//a[@aria-current="page"]') == []  # in the user menu, not the nav list


def test_the_secretariat_reaches_the_panel_and_ranking_of_each_call_in_review_and_a_donor_its_ranking(client):
    call, _proposals = proposals_under_review(1)
    staff, donor = make_user("secretariat"), make_user("donor")
    db.session.commit()
    web_login(client, staff.email)
    nav = menu(client, "/")
    for page in ("panel", "assignments", "ranking", "recommendation", "decisions"):
        assert f"/reviews/calls/{call.id}/{page}" in hrefs(nav)
    assert "Panels and rankings" in nav.text_content()
    here = menu(client, f"/reviews/calls/{call.id}/ranking")
    assert here.xpath('.//a[@aria-current="page"]/@href') == [f"/reviews/calls/{call.id}/ranking"]

    other = client.application.test_client()
    web_login(other, donor.email)
    nav = menu(other, "/")
    assert f"/reviews/calls/{call.id}/ranking" in hrefs(nav)
    assert f"/reviews/calls/{call.id}/panel" not in hrefs(nav)  # the panel is the secretariat's
    assert "Rankings" in nav.text_content()


def test_an_applicant_has_no_panels_or_rankings_and_every_page_has_a_local_icon(client):
    call, proposals = proposals_under_review(1)
    applicant = make_user("applicant", organisation=proposals[0].organisation)
    db.session.commit()
    web_login(client, applicant.email)
    response = client.get("/")
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    assert not [href for href in hrefs(tree) if "/reviews/calls/" in href]
    assert tree.xpath('//link[@rel="icon"]/@href') == ["/static/favicon.svg"]
    with client.get("/static/favicon.svg") as icon:
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml"


def test_an_admin_reaches_the_users_and_a_donor_the_proposals_under_review(client):
    admin, donor = make_user("admin"), make_user("donor")
    db.session.commit()
    web_login(client, admin.email)
    nav = menu(client, "/users/")
    assert nav.xpath('.//a[@aria-current="page"]')[0].text_content().strip() == "Users"
    assert "/proposals/under-review" not in hrefs(nav)

    other = client.application.test_client()
    web_login(other, donor.email)
    nav = menu(other, "/proposals/under-review")
    assert nav.xpath('.//a[@aria-current="page"]')[0].text_content().strip() == "Under review"
    assert "/users/" not in hrefs(nav)
