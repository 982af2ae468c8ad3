"""Review integrity: a recommendation is adopted only once every active assignment's review
is in (or the secretariat removed the missing ones, with a reason, audited), and a review
changes only while its proposal is under review; on the web and through the API."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import CallFactory, make_user
from tests.helpers import bearer, post_form, web_login
from tests.builders import proposals_under_review
from unscar.accounts.models import User
from unscar.audit.models import AuditEvent
from unscar.decisions import services as decisions
from unscar.errors import InvalidTransition
from unscar.extensions import db
from unscar.proposals import services as proposal_services
from unscar.proposals.models import Proposal, ProposalStatus
from unscar.reviews import assigning, panels, services
from unscar.reviews.models import Assignment, AssignmentStatus, Review


def _scores(assignment, value=4):
    return {c.id: value for c in assignment.proposal.call.criteria}


@pytest.fixture
def world(app):
    """Three proposals, two reviewers each; every review submitted but one, a draft."""
    call, proposals = proposals_under_review(3, call=CallFactory(reviewers_per_proposal=2,
                                                                 envelope_usd=Decimal("200000.00")))
    staff = make_user("secretariat")
    reviewers = [make_user("reviewer") for _ in range(2)]
    panels.set_panel(staff, call, [r.id for r in reviewers])
    created, _short = assigning.auto_assign(staff, call)
    for reviewer in reviewers:
        panels.sign_declaration(reviewer, call)
    *done, late = sorted(created, key=lambda a: a.id)
    for assignment in done:
        services.save_review(assignment.reviewer, assignment, _scores(assignment), {}, "Clear.", "fund", submit=True)
    services.save_review(late.reviewer, late, _scores(late, 2), {}, "Half way.", None, submit=False)
    stored = decisions.make_recommendation(staff, call)
    db.session.commit()
    return {"call": call, "proposals": proposals, "staff": staff, "late": late, "done": done, "stored": stored}


def _statuses(call) -> set:
    return set(db.session.scalars(select(Proposal.status).where(Proposal.call_id == call.id)))


def _adopt_url(world) -> str:
    return f"/api/v1/calls/{world['call'].id}/recommendation/{world['stored'].id}/adopt"


def test_adoption_waits_for_every_review_api(client, world):
    headers = bearer(client, world["staff"])
    refused = client.post(_adopt_url(world), headers=headers)
    assert refused.status_code == 409
    assert "1 active assignment has no submitted review" in refused.get_json()["detail"]
    db.session.expire_all()
    assert _statuses(world["call"]) == {ProposalStatus.under_review}, "nothing was marked"
    shown = client.get(f"/api/v1/calls/{world['call'].id}/recommendation", headers=headers).get_json()
    assert shown["missing_reviews"] == 1 and "no submitted review" in shown["adoption_refusal"]
    assert shown["adopted"] is False


def test_adoption_proceeds_once_the_last_review_is_in(client, world):
    late = world["late"]
    services.save_review(late.reviewer, late, _scores(late), {}, "Done.", "fund", submit=True)
    stored = decisions.make_recommendation(world["staff"], world["call"])
    db.session.commit()
    headers = bearer(client, world["staff"])
    shown = client.get(f"/api/v1/calls/{world['call'].id}/recommendation", headers=headers).get_json()
    assert shown["missing_reviews"] == 0 and shown["adoption_refusal"] is None
    adopted = client.post(f"/api/v1/calls/{world['call'].id}/recommendation/{stored.id}/adopt", headers=headers)
    assert adopted.status_code == 200 and adopted.get_json()["adopted"] is True


def test_the_secretariat_removes_the_missing_assignment_and_then_adopts_api(client, world):
    late, headers = world["late"], bearer(client, world["staff"])
    url = f"/api/v1/assignments/{late.id}/remove"
    assert client.post(url, json={}, headers=headers).status_code == 422  # a reason is required
    assert client.post(url, json={"reason": "Reviewer unreachable."},
                       headers=bearer(client, make_user("admin"))).status_code == 403
    assert client.post(url, json={"reason": "Mine."}, headers=bearer(client, late.reviewer)).status_code == 403
    removed = client.post(url, json={"reason": "Reviewer unreachable."}, headers=headers)
    assert removed.status_code == 200 and removed.get_json()["status"] == "removed"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "assignment.removed"))
    assert event.object_id == late.id and event.after["reason"] == "Reviewer unreachable."
    assert event.actor_id == world["staff"].id
    assert client.post(url, json={"reason": "Again."}, headers=headers).status_code == 409
    # The reviewer's access ends with it.
    reviewer_headers = bearer(client, late.reviewer)
    body = {"scores": {}, "comments": {}, "comment": "x", "recommendation": None, "submit": False}
    assert client.put(f"/api/v1/assignments/{late.id}/review", json=body,
                      headers=reviewer_headers).status_code == 404
    assert client.post(_adopt_url(world), headers=headers).status_code == 200


def test_a_removed_assignments_submitted_review_no_longer_counts(client, world):
    assignment = world["done"][0]
    headers = bearer(client, world["staff"])
    ranking = f"/api/v1/calls/{world['call'].id}/ranking"

    def reviews_of(proposal_id):
        items = client.get(ranking, headers=headers).get_json()["items"]
        return next(i["n_reviews"] for i in items if i["proposal_id"] == proposal_id)

    before = reviews_of(assignment.proposal_id)
    assert client.post(f"/api/v1/assignments/{assignment.id}/remove", json={"reason": "Scored another call's text."},
                       headers=headers).status_code == 200
    assert reviews_of(assignment.proposal_id) == before - 1


def test_no_review_changes_once_its_proposal_has_left_review_api(client, world):
    late, headers = world["late"], bearer(client, world["late"].reviewer)
    # The state an adoption leaves: the proposal is no longer under review.
    proposal_services.change_status(world["staff"], late.proposal, ProposalStatus.not_recommended, reason="Adopted")
    db.session.commit()
    body = {"scores": {str(k): v for k, v in _scores(late, 5).items()}, "comments": {}, "comment": "Late.",
            "recommendation": "fund", "submit": True}
    refused = client.put(f"/api/v1/assignments/{late.id}/review", json=body, headers=headers)
    assert refused.status_code == 409 and "under review" in refused.get_json()["detail"]
    db.session.expire_all()
    assert db.session.get(Review, late.review.id).submitted_at is None
    # Nor can the secretariat reopen a review of it.
    done = next(a for a in world["done"] if a.proposal_id == late.proposal_id)
    returned = client.post(f"/api/v1/assignments/{done.id}/review/return", json={"reason": "Redo."},
                           headers=bearer(client, world["staff"]))
    assert returned.status_code == 409
    assert db.session.get(Review, done.review.id).submitted_at is not None


def test_a_withdrawn_proposals_review_is_closed(app, world):
    late = world["late"]
    applicant = db.session.scalar(select(User).where(User.organisation_id == late.proposal.organisation_id))
    proposal_services.withdraw_proposal(applicant, late.proposal, "We found other funds.")
    db.session.commit()
    with pytest.raises(InvalidTransition, match="under review"):
        services.save_review(late.reviewer, late, _scores(late), {}, "Late.", "fund", submit=True)


# The web: the adopt button is shown exactly when adoption would be accepted, with the reason.

def test_the_page_hides_the_adopt_button_and_says_why_web(client, world):
    web_login(client, world["staff"].email)
    page_url = f"/reviews/calls/{world['call'].id}/recommendation"
    html = client.get(page_url).get_data(as_text=True)
    assert 'data-testid="adopt-form"' not in html
    assert "Not adoptable yet" in html and "1 active assignment has no submitted review" in html
    # Posting anyway is refused by the service, and nothing changes.
    response = post_form(client, f"/reviews/calls/{world['call'].id}/recommendation/{world['stored'].id}/adopt",
                         {}, page=page_url, follow_redirects=True)
    assert "1 active assignment has no submitted review" in response.get_data(as_text=True)
    db.session.expire_all()
    assert _statuses(world["call"]) == {ProposalStatus.under_review}


def test_the_secretariat_removes_from_the_assignments_page_then_adopts_web(client, world):
    late = world["late"]
    web_login(client, world["staff"].email)
    page = f"/reviews/calls/{world['call'].id}/assignments"
    html = client.get(page).get_data(as_text=True)
    assert f'data-testid="remove-{late.id}"' in html
    url = f"/reviews/assignments/{late.id}/remove"
    post_form(client, url, {"remove-reason": ""}, page=page)
    db.session.expire_all()
    assert db.session.get(Assignment, late.id).status == AssignmentStatus.active, "no reason, no removal"
    done = post_form(client, url, {"remove-reason": "Reviewer on leave."}, page=page, follow_redirects=True)
    assert "no longer counts" in done.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Assignment, late.id).status == AssignmentStatus.removed
    assert f'data-testid="remove-{late.id}"' not in client.get(page).get_data(as_text=True)
    page_url = f"/reviews/calls/{world['call'].id}/recommendation"
    html = client.get(page_url).get_data(as_text=True)
    assert 'data-testid="adopt-form"' in html and "Not adoptable yet" not in html
    post_form(client, f"/reviews/calls/{world['call'].id}/recommendation/{world['stored'].id}/adopt", {},
              page=page_url)
    db.session.expire_all()
    assert ProposalStatus.under_review not in _statuses(world["call"])


def test_an_admin_sees_no_remove_button(client, world):
    web_login(client, make_user("admin").email)
    html = client.get(f"/reviews/calls/{world['call'].id}/assignments").get_data(as_text=True)
    assert 'data-testid="remove-' not in html


def test_a_late_review_on_the_reviewers_page_is_refused_web(client, world):
    late = world["late"]
    proposal_services.change_status(world["staff"], late.proposal, ProposalStatus.not_recommended, reason="Adopted")
    db.session.commit()
    web_login(client, late.reviewer.email)
    page = f"/reviews/assignments/{late.id}"
    data = {f"score_{c.id}": "5" for c in late.proposal.call.criteria}
    response = post_form(client, page, {**data, "comment": "Late.", "submit_review": "Submit"})
    assert response.status_code == 409
    db.session.expire_all()
    assert db.session.get(Review, late.review.id).submitted_at is None
