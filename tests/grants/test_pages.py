"""The grants list: a grant is listed to its organisation from its approval, to donors and
staff as well, never to reviewers or other organisations; its cost does not grow with
the number of grants."""
import pytest
from sqlalchemy import select

from tests.builders import funded, proposals_under_review
from tests.factories import make_user
from tests.helpers import web_login
from unscar.accounts.models import User
from unscar.decisions import recording
from unscar.extensions import db


def _approved(count: int):
    _call, proposals = proposals_under_review(count)
    staff = make_user("secretariat")
    funded(staff=staff)
    grants = [recording.record_decision(staff, p, "approved", p.requested_usd, "Approved.", "SPG-1").grant
              for p in proposals]
    db.session.commit()
    return proposals, grants


def _client(app, user):
    client = app.test_client()
    assert web_login(client, user.email).status_code == 302
    return client


def test_a_grant_is_listed_to_its_organisation_from_its_approval(app):
    proposals, grants = _approved(2)
    owner = db.session.scalars(select(User).where(User.organisation_id == proposals[0].organisation_id)).first()
    page = _client(app, owner).get("/grants/").get_data(as_text=True)
    assert grants[0].agreement_number in page and proposals[0].title in page
    assert grants[1].agreement_number not in page  # another organisation's


@pytest.mark.parametrize("role, expected", [("secretariat", 200), ("admin", 200), ("donor", 200), ("reviewer", 403)])
def test_who_reads_the_grants(app, role, expected):
    _proposals, grants = _approved(1)
    response = _client(app, make_user(role)).get("/grants/")
    assert response.status_code == expected
    if expected == 200:
        assert grants[0].agreement_number in response.get_data(as_text=True)


def test_an_applicant_without_a_grant_reads_that_it_has_none(app):
    _approved(1)
    page = _client(app, make_user("applicant")).get("/grants/").get_data(as_text=True)
    assert 'data-testid="no-grants"' in page


def test_the_list_costs_as_many_statements_for_six_grants_as_for_one(app, count_statements):
    _approved(1)
    client = _client(app, make_user("donor"))
    with count_statements() as few:
        client.get("/grants/")
    _approved(5)
    with count_statements() as many:
        client.get("/grants/")
    assert len(many) == len(few)


def test_the_list_shows_closing_for_a_grant_past_its_end_as_the_api_does(app):
    from datetime import date

    _proposals, grants = _approved(2)
    grants[0].end_date = date(2020, 12, 31)  # long past: open, but closing
    db.session.commit()
    staff = make_user("secretariat")
    html = _client(app, staff).get("/grants/").get_data(as_text=True)
    statuses = [line.split(">", 1)[1].split("<", 1)[0] for line in html.split('data-testid="status"')[1:]]
    assert sorted(statuses) == ["active", "closing"]
