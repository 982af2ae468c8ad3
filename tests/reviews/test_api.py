"""Review panels through the API: profiles, panels, declarations, assignments, reviews."""
import pytest
from sqlalchemy import select

from tests.builders import proposals_under_review
from tests.factories import make_user
from tests.helpers import bearer
from unscar.audit.models import AuditEvent
from unscar.extensions import db
from unscar.outbox.models import OutboxMessage


@pytest.fixture
def world(app):
    call, proposals = proposals_under_review(3)
    return call, proposals


def _staff(client):
    return bearer(client, make_user("secretariat"))


def test_a_reviewer_keeps_their_own_profile_but_not_others(client):
    reviewer, other = make_user("reviewer"), make_user("reviewer")
    headers = bearer(client, reviewer)
    body = {"themes": ["legislation"], "regions": ["Africa"], "languages": ["fr", "en"], "links": []}
    response = client.put(f"/api/v1/reviewers/{reviewer.id}/profile", json=body, headers=headers)
    assert response.status_code == 200 and response.get_json()["languages"] == ["fr", "en"]
    assert client.put(f"/api/v1/reviewers/{other.id}/profile", json=body, headers=headers).status_code == 404
    assert client.put(f"/api/v1/reviewers/{other.id}/profile", json=body,
                      headers=bearer(client, make_user("applicant"))).status_code == 403
    bad = client.put(f"/api/v1/reviewers/{reviewer.id}/profile", json={**body, "themes": ["cooking"]},
                     headers=headers)
    assert bad.status_code == 422 and "themes.0" in bad.get_json()["errors"]


def test_the_panel_takes_only_reviewers(client, world):
    call, _ = world
    reviewer, donor = make_user("reviewer"), make_user("donor")
    staff = _staff(client)
    response = client.put(f"/api/v1/calls/{call.id}/panel", json={"reviewer_ids": [reviewer.id, donor.id]},
                          headers=staff)
    assert response.status_code == 422 and "reviewer_ids.1" in response.get_json()["errors"]
    ok = client.put(f"/api/v1/calls/{call.id}/panel", json={"reviewer_ids": [reviewer.id]}, headers=staff)
    assert ok.get_json() == {"call_id": call.id, "reviewer_ids": [reviewer.id]}


def test_manual_assignment_refuses_conflicts_with_reasons(client, world):
    call, proposals = world
    target = proposals[0]
    staff = _staff(client)
    colleague = make_user("reviewer", organisation=target.organisation)
    linked, french = make_user("reviewer"), make_user("reviewer")
    client.put(f"/api/v1/reviewers/{linked.id}/profile", headers=staff,
               json={"links": [{"organisation_id": target.organisation_id, "kind": "board"}]})
    client.put(f"/api/v1/reviewers/{french.id}/profile", headers=staff, json={"languages": ["fr"]})
    for reviewer, words in ((colleague, "belongs to"), (linked, "linked"), (french, "language")):
        response = client.post(f"/api/v1/calls/{call.id}/assignments", headers=staff,
                               json={"reviewer_id": reviewer.id, "proposal_id": target.id})
        assert response.status_code == 409 and words in response.get_json()["detail"]
    fine = make_user("reviewer")
    response = client.post(f"/api/v1/calls/{call.id}/assignments", headers=staff,
                           json={"reviewer_id": fine.id, "proposal_id": target.id})
    assert response.status_code == 201 and response.get_json()["status"] == "active"
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "assignment")).one()
    assert mail.to_address == fine.email
    assert f"/reviews/assignments/{response.get_json()['id']}" in mail.body


def test_auto_assignment_balances_and_names_the_short(client, world):
    call, proposals = world
    reviewers = [make_user("reviewer") for _ in range(2)]
    staff = _staff(client)
    client.put(f"/api/v1/calls/{call.id}/panel", json={"reviewer_ids": [r.id for r in reviewers]}, headers=staff)
    body = client.post(f"/api/v1/calls/{call.id}/assignments/auto", json={}, headers=staff).get_json()
    assert body["created"] == 6 and len(body["assignments"]) == 6
    assert sorted(body["short"], key=lambda s: s["proposal_id"]) == [
        {"proposal_id": p.id, "missing": 1} for p in proposals]  # three needed, two reviewers
    again = client.post(f"/api/v1/calls/{call.id}/assignments/auto", json={}, headers=staff).get_json()
    assert again["created"] == 0


def test_reviewers_see_only_their_assignments(client, world):
    call, proposals = world
    reviewer = make_user("reviewer")
    staff = _staff(client)
    client.post(f"/api/v1/calls/{call.id}/assignments", headers=staff,
                json={"reviewer_id": reviewer.id, "proposal_id": proposals[0].id})
    mine = client.get("/api/v1/assignments", headers=bearer(client, reviewer)).get_json()
    assert [(a["proposal_id"], a["status"]) for a in mine["items"]] == [(proposals[0].id, "active")]
    headers = bearer(client, reviewer)
    client.post(f"/api/v1/calls/{call.id}/declaration", json={"accept": True}, headers=headers)
    assert client.get(f"/api/v1/proposals/{proposals[0].id}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/proposals/{proposals[1].id}", headers=headers).status_code == 404
    unassigned = bearer(client, make_user("reviewer"))
    assert client.get("/api/v1/assignments", headers=unassigned).get_json()["total"] == 0
    assert client.get(f"/api/v1/proposals/{proposals[0].id}", headers=unassigned).status_code == 404
    for role in ("applicant", "donor"):
        assert client.get("/api/v1/assignments", headers=bearer(client, make_user(role))).status_code == 403


def _assigned(client, call, proposal):
    reviewer = make_user("reviewer")
    assignment = client.post(f"/api/v1/calls/{call.id}/assignments", headers=_staff(client),
                             json={"reviewer_id": reviewer.id, "proposal_id": proposal.id}).get_json()
    return reviewer, assignment


def test_reviewing_needs_the_declaration_then_a_complete_submission(client, world):
    call, proposals = world
    reviewer, assignment = _assigned(client, call, proposals[0])
    headers = bearer(client, reviewer)
    url = f"/api/v1/assignments/{assignment['id']}/review"
    criteria = [c.id for c in call.criteria]
    assert client.put(url, json={"scores": {str(criteria[0]): 4}}, headers=headers).status_code == 409
    assert client.post(f"/api/v1/calls/{call.id}/declaration", json={"accept": True},
                       headers=headers).status_code == 201
    assert client.post(f"/api/v1/calls/{call.id}/declaration", json={"accept": True},
                       headers=headers).status_code == 409
    out_of_range = client.put(url, json={"scores": {str(criteria[0]): 6}}, headers=headers)
    assert out_of_range.status_code == 422 and f"scores.{criteria[0]}" in out_of_range.get_json()["errors"]
    draft = client.put(url, json={"scores": {str(criteria[0]): 4}, "comment": ""}, headers=headers)
    assert draft.status_code == 200 and draft.get_json()["submitted"] is False
    incomplete = client.put(url, json={"submit": True}, headers=headers)
    assert incomplete.status_code == 422
    assert {f"scores.{criteria[1]}", "comment"} <= set(incomplete.get_json()["errors"])
    done = client.put(url, headers=headers, json={"scores": {str(criteria[1]): 3}, "comment": "Solid plan.",
                                                  "recommendation": "fund", "submit": True})
    assert done.status_code == 200 and done.get_json()["submitted"] is True
    assert client.put(url, json={"comment": "changed"}, headers=headers).status_code == 409
    returned = client.post(f"/api/v1/assignments/{assignment['id']}/review/return", json={"reason": "Explain."},
                           headers=_staff(client))
    assert returned.status_code == 200 and returned.get_json()["submitted"] is False
    assert client.put(url, json={"comment": "Now explained.", "submit": True}, headers=headers).status_code == 200


def test_a_conflict_removes_access_at_once_and_voids_the_review(client, world):
    call, proposals = world
    reviewer, assignment = _assigned(client, call, proposals[0])
    headers = bearer(client, reviewer)
    client.post(f"/api/v1/calls/{call.id}/declaration", json={"accept": True}, headers=headers)
    scores = {str(c.id): 5 for c in call.criteria}
    client.put(f"/api/v1/assignments/{assignment['id']}/review", headers=headers,
               json={"scores": scores, "comment": "Great.", "submit": True})
    response = client.post(f"/api/v1/assignments/{assignment['id']}/conflict", json={"reason": "Former employer."},
                           headers=headers)
    assert response.status_code == 200 and response.get_json()["status"] == "conflicted"
    assert client.get(f"/api/v1/proposals/{proposals[0].id}", headers=headers).status_code == 404
    assert client.put(f"/api/v1/assignments/{assignment['id']}/review", json={},
                      headers=headers).status_code == 404
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert "review.voided" in actions and actions.index("assignment.conflicted") < actions.index("review.voided")
    again = client.post(f"/api/v1/calls/{call.id}/assignments", headers=_staff(client),
                        json={"reviewer_id": reviewer.id, "proposal_id": proposals[0].id})
    assert again.status_code == 409


def test_reviews_close_with_the_review_period(client, world):
    from datetime import timedelta

    from unscar.dates import freeze_clock
    call, proposals = world
    reviewer, assignment = _assigned(client, call, proposals[0])
    headers = bearer(client, reviewer)
    client.post(f"/api/v1/calls/{call.id}/declaration", json={"accept": True}, headers=headers)
    call.review_closes_at = call.closes_at + timedelta(days=30)
    db.session.commit()
    freeze_clock(call.review_closes_at)
    try:
        response = client.put(f"/api/v1/assignments/{assignment['id']}/review", json={"comment": "late"},
                              headers=bearer(client, reviewer))
    finally:
        freeze_clock(None)
    assert response.status_code == 409 and "closed" in response.get_json()["detail"]


def test_declining_keeps_the_assignment_listed(client, world):
    call, proposals = world
    reviewer, assignment = _assigned(client, call, proposals[0])
    headers = bearer(client, reviewer)
    assert client.post(f"/api/v1/assignments/{assignment['id']}/decline", json={"reason": "Too busy."},
                       headers=headers).get_json()["status"] == "declined"
    listed = client.get("/api/v1/assignments", headers=headers).get_json()["items"]
    assert [a["status"] for a in listed] == ["declined"]


def test_null_clears_a_drafts_score_and_a_missing_id_keeps_it(client, world):
    call, proposals = world
    reviewer, assignment = _assigned(client, call, proposals[0])
    headers = bearer(client, reviewer)
    client.post(f"/api/v1/calls/{call.id}/declaration", json={"accept": True}, headers=headers)
    url = f"/api/v1/assignments/{assignment['id']}/review"
    first, second = [str(c.id) for c in call.criteria][:2]
    client.put(url, json={"scores": {first: 4, second: 2}}, headers=headers)
    response = client.put(url, json={"scores": {first: None}}, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["scores"] == {second: 2}


def test_a_reviewer_reads_nothing_before_signing_the_declaration(client, world):
    call, proposals = world
    reviewer, _assignment = _assigned(client, call, proposals[0])
    headers = bearer(client, reviewer)
    early = client.get(f"/api/v1/proposals/{proposals[0].id}", headers=headers)
    assert early.status_code == 409 and "declaration" in early.get_json()["detail"]
    assert proposals[0].title not in early.get_data(as_text=True)
    assert client.get("/api/v1/proposals", headers=headers).get_json()["total"] == 0
    client.post(f"/api/v1/calls/{call.id}/declaration", json={"accept": True}, headers=headers)
    assert client.get(f"/api/v1/proposals/{proposals[0].id}", headers=headers).status_code == 200
    assert client.get("/api/v1/proposals", headers=headers).get_json()["total"] == 1
