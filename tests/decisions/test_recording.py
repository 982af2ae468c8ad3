"""Recording the donors' decisions through the API: approval commits money and creates the
grant, refusals for bad amounts, a second decision, a withdrawn proposal, a short fund and
the wrong role; the decision published to the applicant; endorsements; the call decided."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.builders import funded, proposals_under_review, reviewed_call
from tests.factories import make_user
from tests.helpers import bearer
from unscar.accounts.models import User
from unscar.decisions.models import Decision
from unscar.extensions import db
from unscar.funds.services import fund_figures
from unscar.grants.models import Grant
from unscar.outbox.models import OutboxMessage
from unscar.proposals.models import Proposal, ProposalStatus

RATIONALE = "Strong national ownership; the SPG meeting of 12 November agreed."


@pytest.fixture
def world(app):
    """Two proposals under review asking USD 93,321.00 each (the factory's budget), a fund
    with USD 10 million received (8.7 million programmable)."""
    call, proposals = proposals_under_review(2)
    funded()
    return call, proposals


def _decide(client, proposal, headers, **body):
    payload = {"outcome": "approved", "approved_usd": "80000.00", "rationale": RATIONALE, "meeting_ref": "SPG-12"}
    return client.post(f"/api/v1/proposals/{proposal.id}/decision", json={**payload, **body}, headers=headers)


def test_an_approval_commits_the_money_and_makes_the_grant(client, world):
    call, proposals = world
    staff = bearer(client, make_user("secretariat"))
    before = fund_figures()["available_usd"]
    response = _decide(client, proposals[0], staff)
    assert response.status_code == 201
    body = response.get_json()
    assert body["decision"]["outcome"] == "approved" and body["decision"]["approved_usd"] == "80000.00"
    grant = db.session.get(Grant, body["grant_id"])
    assert grant.approved_usd == Decimal("80000.00") and grant.status.value == "active"
    # The approved budget: the request's lines scaled down, summing to the cent.
    assert sum(line.amount_usd for line in grant.budget_lines) == Decimal("80000.00")
    assert len(grant.budget_lines) == len(proposals[0].budget_lines)
    assert fund_figures()["available_usd"] == before - Decimal("80000.00")
    assert db.session.get(Proposal, proposals[0].id).status == ProposalStatus.approved


def test_the_decision_is_published_to_the_applicant_when_recorded(client, world):
    _call, proposals = world
    _decide(client, proposals[0], bearer(client, make_user("secretariat")))
    owner = db.session.scalars(select(User).where(User.organisation_id == proposals[0].organisation_id)).first()
    detail = client.get(f"/api/v1/proposals/{proposals[0].id}", headers=bearer(client, owner)).get_json()
    assert detail["status"] == "approved"
    assert detail["decision"]["approved_usd"] == "80000.00" and detail["decision"]["rationale"] == RATIONALE
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == owner.email,
                                                          OutboxMessage.kind == "decision")).one()
    assert "approved" in mail.body and "80,000.00" in mail.body


@pytest.mark.parametrize("amount, status", [
    ("-1.00", 422), ("0", 422), ("100.001", 422), ("93321.01", 422), (None, 422), ("abc", 422)])
def test_bad_amounts_are_refused(client, world, amount, status):
    _call, proposals = world
    response = _decide(client, proposals[0], bearer(client, make_user("secretariat")), approved_usd=amount)
    assert response.status_code == status and "approved_usd" in response.get_json()["errors"]
    assert db.session.scalar(select(func.count()).select_from(Decision)) == 0


def test_a_rejection_makes_no_grant_and_a_second_decision_is_409(client, world):
    _call, proposals = world
    staff = bearer(client, make_user("secretariat"))
    rejected = _decide(client, proposals[0], staff, outcome="rejected", approved_usd=None)
    assert rejected.status_code == 201 and rejected.get_json()["grant_id"] is None
    assert _decide(client, proposals[0], staff).status_code == 409
    assert db.session.scalar(select(func.count()).select_from(Grant)) == 0


def test_a_withdrawn_proposal_cannot_be_decided(client, world):
    _call, proposals = world
    owner = db.session.scalars(select(User).where(User.organisation_id == proposals[0].organisation_id)).first()
    client.post(f"/api/v1/proposals/{proposals[0].id}/withdraw", json={}, headers=bearer(client, owner))
    assert _decide(client, proposals[0], bearer(client, make_user("secretariat"))).status_code == 409


@pytest.mark.parametrize("role", ["donor", "applicant", "reviewer", "admin"])
def test_only_the_secretariat_records_decisions(client, world, role):
    _call, proposals = world
    assert _decide(client, proposals[0], bearer(client, make_user(role))).status_code == 403


def test_an_approval_beyond_the_available_balance_is_409_and_changes_nothing(client, app):
    _call, proposals = proposals_under_review(1)
    funded("50000.00")  # 43,500.00 programmable
    response = _decide(client, proposals[0], bearer(client, make_user("secretariat")))
    assert response.status_code == 409 and "43,500.00" in response.get_json()["detail"]
    assert db.session.get(Proposal, proposals[0].id).status == ProposalStatus.under_review
    assert db.session.scalar(select(func.count()).select_from(Grant)) == 0
    assert fund_figures()["committed_usd"] == Decimal("0.00")


def test_the_fund_refuses_an_approval_before_anything_is_written(app):
    # Through the service, before any rollback: the refusal must not lean on its caller's.
    from unscar.audit.models import AuditEvent
    from unscar.decisions import recording
    from unscar.errors import InsufficientFunds

    _call, proposals = proposals_under_review(1)
    staff = make_user("secretariat")
    funded("50000.00", staff=staff)
    db.session.commit()
    events = db.session.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(InsufficientFunds):
        recording.record_decision(staff, proposals[0], "approved", proposals[0].requested_usd, "Yes.", "SPG-1")
    db.session.flush()
    assert db.session.scalar(select(func.count()).select_from(Grant)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events
    db.session.rollback()


def test_the_call_is_decided_only_when_every_proposal_is(client, world):
    call, proposals = world
    staff = bearer(client, make_user("secretariat"))
    url = f"/api/v1/calls/{call.id}/status"
    _decide(client, proposals[0], staff)
    refused = client.post(url, json={"status": "decided"}, headers=staff)
    assert refused.status_code == 409 and "1 proposal" in refused.get_json()["detail"]
    _decide(client, proposals[1], staff, outcome="rejected", approved_usd=None)
    assert client.post(url, json={"status": "decided"}, headers=staff).status_code == 200


def test_donors_endorse_an_adopted_recommendation_once(client, app):
    reviewers = [make_user("reviewer") for _ in range(2)]
    call, _proposals, staff_user = reviewed_call(2, reviewers, 2)
    staff, donor = bearer(client, staff_user), bearer(client, make_user("donor"))
    rec = client.post(f"/api/v1/calls/{call.id}/recommendation", json={}, headers=staff).get_json()
    url = f"/api/v1/calls/{call.id}/recommendation/{rec['id']}/endorsements"
    assert client.post(url, json={"comment": "Agreed."}, headers=donor).status_code == 409  # not adopted
    client.post(f"/api/v1/calls/{call.id}/recommendation/{rec['id']}/adopt", headers=staff)
    first = client.post(url, json={"comment": "Agreed."}, headers=donor)
    again = client.post(url, json={"comment": "Twice."}, headers=donor)
    assert first.status_code == 201 and again.status_code == 200
    assert again.get_json()["id"] == first.get_json()["id"] and again.get_json()["comment"] == "Agreed."
    assert client.post(url, json={}, headers=staff).status_code == 403


def test_the_recommendation_fits_the_funds_available(client, app):
    reviewers = [make_user("reviewer") for _ in range(2)]
    call, proposals, staff_user = reviewed_call(3, reviewers, 2)
    staff = bearer(client, staff_user)
    # Spend the fund down to what one proposal asks: the envelope no longer binds.
    left = fund_figures()["available_usd"] - proposals[0].requested_usd
    filler, = proposals_under_review(1)[1]
    filler.requested_usd = left
    db.session.commit()
    assert _decide(client, filler, staff, approved_usd=str(left)).status_code == 201
    rec = client.post(f"/api/v1/calls/{call.id}/recommendation", json={}, headers=staff).get_json()
    assert len(rec["selected"]) == 1 and Decimal(rec["cap_usd"]) == proposals[0].requested_usd
    assert rec["parameters"]["available_usd"] == f"{proposals[0].requested_usd:.2f}"


def test_a_donor_sees_the_grants_its_money_went_to(client, world):
    _call, proposals = world
    body = _decide(client, proposals[0], bearer(client, make_user("secretariat"))).get_json()
    donor_id = client.get("/api/v1/donors", headers=bearer(client, make_user("donor"))).get_json()["items"][0]["id"]
    detail = client.get(f"/api/v1/donors/{donor_id}", headers=bearer(client, make_user("donor"))).get_json()
    grant = db.session.get(Grant, body["grant_id"])
    assert detail["grants"] == [{"grant_id": grant.id, "reference": grant.agreement_number,
                                 "attributed_usd": "80000.00"}]
