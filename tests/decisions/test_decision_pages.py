"""The decision page of a call: the secretariat records each decision and sees the money
left; a short fund is refused with a clear message and nothing saved; donors endorse an
adopted recommendation and read the page; the applicant reads the published decision."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.builders import funded, proposals_under_review, reviewed_call
from tests.factories import make_user
from tests.helpers import bearer, post_form, web_login
from unscar.accounts.models import User
from unscar.decisions.models import Endorsement
from unscar.extensions import db
from unscar.proposals.models import Proposal, ProposalStatus


def _client(app, user):
    client = app.test_client()
    assert web_login(client, user.email).status_code == 302
    return client


def _form(proposal, **values):
    data = {"outcome": "approved", "approved_usd": "50,000.00", "meeting_ref": "SPG-7",
            "rationale": "Strong national ownership."}
    return {f"p{proposal.id}-{key}": value for key, value in {**data, **values}.items()}


def test_the_secretariat_records_decisions_and_sees_the_money_left(app):
    call, proposals = proposals_under_review(2)
    staff = make_user("secretariat")
    funded("100000.00", staff=staff)  # 87,000.00 available
    client = _client(app, staff)
    url = f"/reviews/calls/{call.id}/decisions"
    page = client.get(url).get_data(as_text=True)
    assert "USD 87,000.00" in page and f'data-testid="decision-form-{proposals[0].id}"' in page
    done = post_form(client, f"{url}/{proposals[0].id}", _form(proposals[0]), page=url, follow_redirects=True)
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and "is recorded and its applicant is told" in html
    assert "USD 37,000.00" in html and "UNSCAR-GA-" in html
    # The second asks more than is left: refused, said why, nothing saved.
    short = post_form(client, f"{url}/{proposals[1].id}", _form(proposals[1], approved_usd="40000.00"), page=url)
    assert short.status_code == 409 and "37,000.00" in short.get_data(as_text=True)
    assert db.session.get(Proposal, proposals[1].id).status == ProposalStatus.under_review


def test_a_form_error_keeps_what_was_typed(app):
    call, proposals = proposals_under_review(1)
    staff = make_user("secretariat")
    funded(staff=staff)
    client = _client(app, staff)
    url = f"/reviews/calls/{call.id}/decisions"
    response = post_form(client, f"{url}/{proposals[0].id}", _form(proposals[0], approved_usd="99999999.00",
                                                                  rationale="Kept text"), page=url)
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "At most the USD" in html and "Kept text" in html


@pytest.mark.parametrize("role, expected", [("donor", 200), ("admin", 200), ("reviewer", 403), ("applicant", 403)])
def test_who_opens_the_decision_page(app, role, expected):
    call, _proposals = proposals_under_review(1)
    page = _client(app, make_user(role)).get(f"/reviews/calls/{call.id}/decisions")
    assert page.status_code == expected
    if role == "donor":
        assert 'data-testid="decision-form-' not in page.get_data(as_text=True)


def test_a_donor_endorses_the_adopted_recommendation_on_the_page(app, client):
    reviewers = [make_user("reviewer") for _ in range(2)]
    call, _proposals, staff = reviewed_call(2, reviewers, 2)
    headers = bearer(client, staff)
    rec = client.post(f"/api/v1/calls/{call.id}/recommendation", json={}, headers=headers).get_json()
    client.post(f"/api/v1/calls/{call.id}/recommendation/{rec['id']}/adopt", headers=headers)
    donor = make_user("donor", name="Ingrid Donorsen")
    browser = _client(app, donor)
    url = f"/reviews/calls/{call.id}/decisions"
    response = post_form(browser, f"/reviews/calls/{call.id}/recommendation/{rec['id']}/endorse",
                         {"comment": "Norway agrees."}, page=url, follow_redirects=True)
    assert "Your endorsement is recorded." in response.get_data(as_text=True)
    assert "Ingrid Donorsen" in browser.get(url).get_data(as_text=True)
    assert db.session.scalars(select(Endorsement)).one().comment == "Norway agrees."


def test_the_applicant_reads_the_published_decision_on_its_page(app, client):
    _call, proposals = proposals_under_review(1)
    staff = make_user("secretariat")
    funded(staff=staff)
    client.post(f"/api/v1/proposals/{proposals[0].id}/decision", headers=bearer(client, staff),
                json={"outcome": "approved", "approved_usd": "60000.00", "rationale": "Clear plan.",
                      "meeting_ref": "SPG-7"})
    owner = db.session.scalars(select(User).where(User.organisation_id == proposals[0].organisation_id)).first()
    page = _client(app, owner).get(f"/proposals/{proposals[0].id}").get_data(as_text=True)
    assert 'data-testid="decision"' in page and "Approved: USD 60,000.00" in page and "Clear plan." in page
    assert Decimal("60000.00") < proposals[0].requested_usd
