"""The home page leads each role to what it came for: a donor reads the portfolio's real
figures and its own contributions; donors and the secretariat reach each call in review's
ranking, recommendation and decisions in one click; the page's cost does not grow with
the number of projects or calls."""
from datetime import date
from decimal import Decimal

import lxml.html
from sqlalchemy import select

from tests.builders import funded, proposals_under_review
from tests.factories import make_user
from tests.helpers import web_login
from tests.portfolio.conftest import approve, load_history
from unscar.extensions import db
from unscar.funds import services as funds
from unscar.funds.models import Donor


def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return lxml.html.fromstring(response.get_data(as_text=True))


def text_of(tree, testid: str) -> str:
    return tree.xpath(f'//*[@data-testid="{testid}"]')[0].text_content().strip()


def test_a_donors_portfolio_card_shows_real_figures_and_its_own_money(client):
    grant = approve(1)[0]
    staff = make_user("secretariat")
    funds.record_disbursement(staff, grant.id, Decimal("50000.00"), date.today())
    funds.record_expenditure(staff, grant.id, Decimal("25000.00"), date.today())
    db.session.commit()
    norway = db.session.scalars(select(Donor)).one()  # the donor that approve() funded the fund with
    web_login(client, make_user("donor", donor_id=norway.id).email)
    tree = home(client)
    assert text_of(tree, "card-projects") == "1"
    assert text_of(tree, "card-approved") == f"{grant.approved_usd:,.2f}"
    assert text_of(tree, "card-disbursed") == "50,000.00"
    assert text_of(tree, "card-delivery") == f"{Decimal('25000.00') / grant.approved_usd * 100:.1f} %"
    own = text_of(tree, "card-own")
    assert own.startswith("Kingdom of Norway: USD 10,000,000.00 received") and "1 project." in own
    hrefs = tree.xpath('//*[@data-testid="portfolio-card"]//a/@href')
    assert f"/portfolio/projects?donor_id={norway.id}" in hrefs and f"/portfolio/?donor_id={norway.id}" in hrefs


def test_an_unlinked_donor_is_told_so(client):
    web_login(client, make_user("donor").email)
    tree = home(client)
    assert text_of(tree, "card-projects") == "0"
    assert "speaks for no donor yet" in text_of(tree, "portfolio-card")


def test_donors_and_the_secretariat_reach_the_ranking_and_recommendation_in_one_click(app):
    call, _proposals = proposals_under_review(2)
    db.session.commit()
    for role in ("donor", "secretariat"):
        client = app.test_client()
        web_login(client, make_user(role).email)
        links = home(client).xpath(f'//*[@data-testid="review-call-{call.id}"]//a/@href')
        assert links == [f"/reviews/calls/{call.id}/ranking", f"/reviews/calls/{call.id}/recommendation",
                         f"/reviews/calls/{call.id}/decisions"]
        for href in links:
            assert client.get(href).status_code == 200
    reviewer = app.test_client()
    web_login(reviewer, make_user("reviewer").email)
    tree = home(reviewer)
    assert not tree.xpath('//*[@data-testid="review-card"]') and not tree.xpath('//*[@data-testid="portfolio-card"]')


def test_the_home_page_costs_as_many_statements_for_many_projects_and_calls(app, count_statements):
    norway = funded()
    approve(1)
    client = app.test_client()
    web_login(client, make_user("donor", "secretariat", donor_id=norway.id).email)
    with count_statements() as few:
        home(client)
    load_history()
    approve(3)
    for _ in range(3):
        proposals_under_review(1)
    db.session.commit()
    with count_statements() as many:
        tree = home(client)
    assert len(tree.xpath('//*[starts-with(@data-testid, "review-call-")]')) == 5
    assert len(many) == len(few)


def test_donors_and_admins_are_led_to_their_new_lists(app):
    for role, href in (("donor", "/proposals/under-review"), ("donor", "/calls/?status=decided"),
                       ("admin", "/users/")):
        client = app.test_client()
        web_login(client, make_user(role).email)
        hrefs = home(client).xpath('//*[@data-testid="next-steps"]//a/@href')
        assert href in hrefs, (role, href)
        assert client.get(href).status_code == 200
    reviewer = app.test_client()
    web_login(reviewer, make_user("reviewer").email)
    hrefs = home(reviewer).xpath('//*[@data-testid="next-steps"]//a/@href')
    assert "/proposals/under-review" not in hrefs and "/users/" not in hrefs
