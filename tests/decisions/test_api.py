"""Ranking and recommendation through the API: formulas from the database, exact choice,
adoption, and who may see what."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.builders import reviewed_call
from tests.factories import make_user, owner_of
from tests.helpers import bearer
from unscar.decisions.recommendation import explanation_for_reader
from unscar.extensions import db
from unscar.proposals.models import ProposalStatus
from unscar.reviews import assigning


@pytest.fixture
def scored(app):
    """Three proposals, two reviewers each (reviewers_per_proposal 2), all reviewed."""
    reviewers = [make_user("reviewer") for _ in range(2)]
    marks = [(5, 4), (3, 3), (4, 5)]
    return reviewed_call(3, reviewers, 2, marks=lambda _r, p: marks[p], envelope_usd=Decimal("200000.00"))


def test_the_ranking_follows_the_formulas(client, scored):
    call, proposals, _staff = scored
    body = client.get(f"/api/v1/calls/{call.id}/ranking", headers=bearer(client, make_user("donor"))).get_json()
    items = {item["proposal_id"]: item for item in body["items"]}
    # Weights 60/40: (5,4) → 4.6, (3,3) → 3.0, (4,5) → 4.4; two reviews each, identical.
    assert items[proposals[0].id]["weighted_mean"] == 4.6 and items[proposals[0].id]["rank"] == 1
    assert items[proposals[2].id]["weighted_mean"] == 4.4 and items[proposals[2].id]["rank"] == 2
    assert items[proposals[1].id]["weighted_mean"] == 3.0 and items[proposals[1].id]["rank"] == 3
    assert all(i["n_reviews"] == 2 and i["missing_reviews"] == 0 and i["spread"] == 0 for i in body["items"])
    assert items[proposals[0].id]["requested_usd"] == "93321.00"
    text = str(body)
    assert "reviewer" not in text.lower()


def test_the_recommendation_is_exact_and_adopting_marks_proposals(client, scored):
    call, proposals, staff = scored
    headers = bearer(client, staff)
    # Each asks 93,321.00; the 200,000.00 envelope fits two: the two best.
    body = client.post(f"/api/v1/calls/{call.id}/recommendation", json={}, headers=headers).get_json()
    assert sorted(body["selected"]) == sorted([proposals[0].id, proposals[2].id])
    assert body["total_usd"] == "186642.00" and body["cap_usd"] == "200000.00"
    assert "cap" in body["explanation"]["binding"]
    assert [lo["proposal_id"] for lo in body["explanation"]["left_out"]] == [proposals[1].id]
    assert all(p.status == ProposalStatus.under_review for p in proposals)  # a draft changes nothing
    adopted = client.post(f"/api/v1/calls/{call.id}/recommendation/{body['id']}/adopt", headers=headers)
    assert adopted.status_code == 200 and adopted.get_json()["adopted"] is True
    db.session.expire_all()
    assert [p.status for p in proposals] == [ProposalStatus.recommended, ProposalStatus.not_recommended,
                                             ProposalStatus.recommended]
    again = client.post(f"/api/v1/calls/{call.id}/recommendation/{body['id']}/adopt", headers=headers)
    assert again.status_code == 409
    donor = bearer(client, make_user("donor"))
    assert client.get(f"/api/v1/calls/{call.id}/recommendation", headers=donor).get_json()["id"] == body["id"]


def test_the_explanation_is_written_in_each_readers_language_whoever_computed_it(client, scored):
    call, proposals, staff = scored
    computed = client.post(f"/api/v1/calls/{call.id}/recommendation", json={},
                           headers=bearer(client, staff)).get_json()["explanation"]
    assert computed["text"].startswith("Selected 2 of 3 proposals")
    assert computed["left_out"][0]["reason"].startswith("Adding it would exceed the cap by USD ")
    assert "facts" not in computed and "why" not in computed["left_out"][0]  # the contract's shape only

    french = {**bearer(client, make_user("donor")), "Accept-Language": "fr"}
    read = client.get(f"/api/v1/calls/{call.id}/recommendation", headers=french).get_json()["explanation"]
    assert read["text"].startswith("Propositions sélectionnées")
    reason = read["left_out"][0]["reason"].replace("\N{NARROW NO-BREAK SPACE}", " ")
    assert reason.startswith("L'ajouter aurait pour effet de dépasser le plafond de ") and "USD 79 963,00" in reason
    assert read["binding"] == computed["binding"]


@pytest.mark.parametrize("body, path", [
    ({"min_share": {"region:Atlantis": 0.2}}, "min_share"), ({"min_share": {"theme:legislation": 1.5}}, "min_share"),
    ({"objective": "mood"}, "objective"), ({"envelope_usd": "-5"}, "envelope_usd"),
])
def test_bad_recommendation_requests_are_422(client, scored, body, path):
    call, _proposals, staff = scored
    response = client.post(f"/api/v1/calls/{call.id}/recommendation", json=body, headers=bearer(client, staff))
    assert response.status_code == 422
    assert any(key.startswith(path) for key in response.get_json().get("errors", {path: 1})), response.get_json()


@pytest.mark.parametrize("min_score", [7, "5.01", "0.5"])
def test_a_minimum_score_off_the_calls_scale_is_422_naming_the_scale(client, scored, min_score):
    call, _proposals, staff = scored
    response = client.post(f"/api/v1/calls/{call.id}/recommendation", headers=bearer(client, staff),
                           json={"min_score": min_score})
    assert response.status_code == 422
    assert "scale of 1 to 5" in response.get_json()["errors"]["min_score"][0]


def test_a_minimum_score_at_the_bottom_of_the_scale_is_accepted(client, scored):
    call, _proposals, staff = scored
    response = client.post(f"/api/v1/calls/{call.id}/recommendation", headers=bearer(client, staff),
                           json={"min_score": 1})
    assert response.status_code == 200


def test_only_an_impossible_share_leaves_nothing_and_is_named(client, scored):
    call, _proposals, staff = scored
    response = client.post(f"/api/v1/calls/{call.id}/recommendation", headers=bearer(client, staff),
                           json={"min_share": {"region:Europe": 0.5}})
    assert response.status_code == 422 and "min_share" in str(response.get_json())


@pytest.mark.parametrize("role, ranking, compute", [
    ("secretariat", 200, 200), ("donor", 200, 403), ("reviewer", 403, 403), ("applicant", 403, 403)])
def test_who_sees_and_computes(client, scored, role, ranking, compute):
    call, _proposals, _staff = scored
    headers = bearer(client, make_user(role))
    assert client.get(f"/api/v1/calls/{call.id}/ranking", headers=headers).status_code == ranking
    assert client.post(f"/api/v1/calls/{call.id}/recommendation", json={}, headers=headers).status_code == compute


def test_a_voided_review_leaves_the_ranking(client, scored):
    call, proposals, _staff = scored
    from unscar.reviews.models import Assignment
    assignment = db.session.scalars(select(Assignment).where(Assignment.proposal_id == proposals[0].id)).first()
    assigning.declare_conflict(assignment.reviewer, assignment, "Conflict found late.")
    db.session.commit()
    body = client.get(f"/api/v1/calls/{call.id}/ranking", headers=bearer(client, make_user("secretariat"))).get_json()
    item = next(i for i in body["items"] if i["proposal_id"] == proposals[0].id)
    assert item["n_reviews"] == 1 and item["missing_reviews"] == 1


def test_applicants_learn_nothing_of_the_review_before_the_decision(client, scored):
    call, proposals, staff = scored
    headers = bearer(client, staff)
    body = client.post(f"/api/v1/calls/{call.id}/recommendation", json={}, headers=headers).get_json()
    client.post(f"/api/v1/calls/{call.id}/recommendation/{body['id']}/adopt", headers=headers)
    owner = owner_of(proposals[1])
    mine = bearer(client, owner)
    detail = client.get(f"/api/v1/proposals/{proposals[1].id}", headers=mine).get_json()
    assert detail["status"] == "under_review"
    assert [row["status"] for row in detail["history"]][-1] == "under_review"
    assert client.get("/api/v1/proposals?status=not_recommended", headers=mine).get_json()["total"] == 0
    assert client.get("/api/v1/proposals?status=under_review", headers=mine).get_json()["total"] == 1
    from tests.helpers import web_login
    web_login(client, owner.email)
    page = client.get(f"/proposals/{proposals[1].id}").get_data(as_text=True)
    assert "not recommended" not in page and "recommended" not in page.replace("Recommended", "")
    assert client.get(f"/api/v1/proposals/{proposals[1].id}", headers=headers).get_json()["status"] == "not_recommended"


def _adopted(client, scored):
    call, proposals, staff = scored
    headers = bearer(client, staff)
    body = client.post(f"/api/v1/calls/{call.id}/recommendation", json={}, headers=headers).get_json()
    client.post(f"/api/v1/calls/{call.id}/recommendation/{body['id']}/adopt", headers=headers)
    from unscar.accounts.models import User
    owner = db.session.scalars(select(User).where(User.organisation_id == proposals[1].organisation_id)).first()
    return proposals[1], owner


def test_no_refusal_tells_an_applicant_the_review_outcome(client, scored):
    """A not recommended proposal shows as under review to its applicant: it may be withdrawn
    like one, and no message names the outcome."""
    proposal, owner = _adopted(client, scored)
    assert db.session.get(type(proposal), proposal.id).status == ProposalStatus.not_recommended
    mine = bearer(client, owner)
    refused = client.patch(f"/api/v1/proposals/{proposal.id}", json={"title": "New"}, headers=mine)
    assert refused.status_code == 409 and "recommended" not in refused.get_data(as_text=True)
    from tests.helpers import web_login
    web_login(client, owner.email)
    edit = client.get(f"/proposals/{proposal.id}/edit/summary", follow_redirects=True).get_data(as_text=True)
    assert "under review: it can no longer be changed" in edit and "recommended" not in edit.replace("Recommended", "")
    withdrawn = client.post(f"/api/v1/proposals/{proposal.id}/withdraw", json={}, headers=mine)
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "withdrawn"


@pytest.mark.parametrize("trait", ["draft", "open", "closed"])
def test_donors_read_no_ranking_before_the_review(client, trait):
    from tests.factories import CallFactory
    call = CallFactory(**({trait: True} if trait != "open" else {}))
    db.session.commit()
    donor, staff = bearer(client, make_user("donor")), bearer(client, make_user("secretariat"))
    assert client.get(f"/api/v1/calls/{call.id}/ranking", headers=staff).status_code == 200
    assert client.get(f"/api/v1/calls/{call.id}/ranking", headers=donor).status_code == 404
    assert client.get(f"/api/v1/calls/{call.id}/recommendation", headers=donor).status_code == 404


def test_an_explanation_stored_before_its_facts_were_kept_reads_as_it_was_written():
    old = {"text": "Selected 1 of 2 proposals.", "binding": ["cap"], "left_out": [{"proposal_id": 7, "reason": "r"}]}
    assert explanation_for_reader(old) == old
