"""The donors' list of proposals under review: what awaits their decision in the calls in
review, scoped by the same rule as GET /api/v1/proposals (DESIGN.md's visibility table):
never a draft, a screened-out proposal, or a proposal of a call still open; no reviewer
named. Staff read it too; applicants and reviewers are refused."""
import lxml.html
import pytest

from tests.builders import funded, proposals_under_review
from tests.factories import CallFactory, ProposalFactory, make_user
from tests.helpers import bearer, web_login
from unscar.decisions import recording
from unscar.extensions import db


def references(client, query: str = "") -> list[str]:
    response = client.get(f"/proposals/under-review{query}")
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    return [a.text_content().strip() for a in tree.xpath('//table[@data-testid="proposals"]/tbody/tr/td[1]/a')]


@pytest.fixture
def calls():
    """A call in review with three proposals under review (one then approved) and one
    screened out; an open call with a draft and a proposal already screened in."""
    staff = make_user("secretariat")
    out = ProposalFactory(call=CallFactory(), screened_out=True)
    reviewing, (first, second, approved) = proposals_under_review(3, call=out.call)
    funded(staff=staff)
    recording.record_decision(staff, approved, "approved", approved.requested_usd, "Approved.", "SPG-1")
    open_call = CallFactory()
    draft = ProposalFactory(call=open_call)
    early = ProposalFactory(call=open_call, under_review=True)
    db.session.commit()
    return {"shown": sorted([first.reference, second.reference]), "approved": approved.reference,
            "hidden": [out.reference, draft.reference], "early": early.reference, "call": reviewing}


def test_a_donor_sees_what_awaits_the_decision_and_nothing_else(app, calls):
    client = app.test_client()
    web_login(client, make_user("donor").email)
    assert sorted(references(client)) == calls["shown"]
    page = client.get("/proposals/under-review").get_data(as_text=True)
    assert f'href="/reviews/calls/{calls["call"].id}/ranking"' in page
    for reference in [*calls["hidden"], calls["early"], calls["approved"]]:
        assert reference not in page


def test_the_page_lists_what_the_api_lists_for_the_donor(app, calls):
    donor = make_user("donor")
    db.session.commit()
    client = app.test_client()
    web_login(client, donor.email)
    headers = bearer(app.test_client(), donor)
    api = set()
    for status in ("under_review", "recommended", "not_recommended"):
        body = app.test_client().get(f"/api/v1/proposals?status={status}", headers=headers).get_json()
        api |= {item["reference"] for item in body["items"]}
    assert sorted(api) == sorted(references(client)) == calls["shown"]


def test_the_secretariat_also_sees_proposals_of_calls_still_open(app, calls):
    client = app.test_client()
    web_login(client, make_user("secretariat").email)
    assert sorted(references(client)) == sorted([*calls["shown"], calls["early"]])


def test_filters_by_call_and_stage(app, calls):
    client = app.test_client()
    web_login(client, make_user("donor").email)
    assert sorted(references(client, f"?call_id={calls['call'].id}")) == calls["shown"]
    assert references(client, "?status=recommended") == []
    assert sorted(references(client, "?status=bogus&call_id=abc")) == calls["shown"]  # ignored, not a 500
    assert references(client, "?call_id=999999") == []


@pytest.mark.parametrize("role", ["applicant", "reviewer"])
def test_applicants_and_reviewers_are_refused(app, role):
    client = app.test_client()
    web_login(client, make_user(role).email)
    assert client.get("/proposals/under-review").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/proposals/under-review")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_list_costs_as_many_statements_for_many_proposals(app, count_statements):
    client = app.test_client()
    web_login(client, make_user("donor").email)
    proposals_under_review(1)
    db.session.commit()
    with count_statements() as few:
        assert len(references(client)) == 1
    for _ in range(3):
        proposals_under_review(4)
    db.session.commit()
    with count_statements() as many:
        assert len(references(client)) == 13
    assert len(many) == len(few)
