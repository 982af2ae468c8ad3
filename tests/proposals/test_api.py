"""The proposals API (API.md "Proposals"): drafting, budget, checks, submission, screening."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.bodies import budget_json, proposal_json
from tests.factories import CallFactory, make_user
from tests.helpers import bearer
from unscar.audit.models import AuditEvent
from unscar.extensions import db
from unscar.outbox.models import OutboxMessage


def _create(client, headers, call, **overrides):
    response = client.post(f"/api/v1/calls/{call.id}/proposals", json=proposal_json(**overrides), headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _complete(client, headers, call):
    proposal = _create(client, headers, call)
    assert client.put(f"/api/v1/proposals/{proposal['id']}/budget", json=budget_json(),
                      headers=headers).status_code == 200
    return proposal


def test_a_draft_gets_a_reference_and_may_be_incomplete(client, applicant, call):
    headers = bearer(client, applicant)
    response = client.post(f"/api/v1/calls/{call.id}/proposals", json={"title": "Just a title"}, headers=headers)
    body = response.get_json()
    assert response.status_code == 201
    assert body["status"] == "draft" and body["reference"] == f"UNSCAR-{call.year}-0001"
    second = client.post(f"/api/v1/calls/{call.id}/proposals", json={}, headers=headers).get_json()
    assert second["reference"] == f"UNSCAR-{call.year}-0002"


def test_budget_amounts_are_computed_on_the_server_half_up(client, applicant, call):
    headers = bearer(client, applicant)
    proposal = _create(client, headers, call)
    body = client.put(f"/api/v1/proposals/{proposal['id']}/budget", json=budget_json(), headers=headers).get_json()
    amounts = [line["amount_usd"] for line in body["lines"]]
    assert amounts == ["54000.00", "4321.00", "30000.00", "5000.00"]  # 3.5 × 1234.57 = 4320.995 → 4321.00
    assert (body["direct_usd"], body["indirect_usd"], body["total_usd"]) == ("88321.00", "5000.00", "93321.00")
    detail = client.get(f"/api/v1/proposals/{proposal['id']}", headers=headers).get_json()
    assert detail["requested_usd"] == "93321.00" and detail["regions"] == ["Africa"]


@pytest.mark.parametrize("line, path", [
    ({"unit_cost_usd": "-1"}, "lines.0.unit_cost_usd"), ({"unit_cost_usd": "1.005"}, "lines.0.unit_cost_usd"),
    ({"quantity": 0}, "lines.0.quantity"), ({"quantity": "1.234"}, "lines.0.quantity"),
    ({"category": "snacks"}, "lines.0.category"), ({"year": "next"}, "lines.0.year"),
    ({"colour": "red"}, "lines.0.colour"),
])
def test_bad_budget_lines_are_named(client, applicant, call, line, path):
    headers = bearer(client, applicant)
    proposal = _create(client, headers, call)
    body = budget_json()
    body["lines"][0].update(line)
    response = client.put(f"/api/v1/proposals/{proposal['id']}/budget", json=body, headers=headers)
    assert response.status_code == 422 and path in response.get_json()["errors"]


def test_checks_list_what_blocks_submission(client, applicant, call):
    headers = bearer(client, applicant)
    proposal = _create(client, headers, call, themes=["border_control"], countries=["KEN", "FRA"],
                       duration_months=36, summary="")
    checks = client.get(f"/api/v1/proposals/{proposal['id']}/checks", headers=headers).get_json()
    codes = {p["code"] for p in checks["problems"]}
    assert checks["eligible"] is False
    assert {"missing_summary", "missing_budget", "theme_not_in_call", "country_ineligible",
            "duration_out_of_range"} <= codes
    assert all(p["message"] for p in checks["problems"])


def test_indirect_costs_above_the_cap_are_a_problem_not_a_fix(client, applicant, call):
    headers = bearer(client, applicant)
    proposal = _create(client, headers, call)
    body = budget_json()
    body["lines"][3]["unit_cost_usd"] = "9000.00"  # 9000 > 7% of 88321
    client.put(f"/api/v1/proposals/{proposal['id']}/budget", json=body, headers=headers)
    checks = client.get(f"/api/v1/proposals/{proposal['id']}/checks", headers=headers).get_json()
    assert [p["code"] for p in checks["problems"]] == ["indirect_over_cap"]
    budget = client.get(f"/api/v1/proposals/{proposal['id']}", headers=headers).get_json()["budget"]
    assert budget["indirect_usd"] == "9000.00"


def test_submission_is_idempotent_with_one_event_and_one_receipt(client, applicant, call):
    headers = bearer(client, applicant)
    proposal = _complete(client, headers, call)
    first = client.post(f"/api/v1/proposals/{proposal['id']}/submit", headers=headers)
    again = client.post(f"/api/v1/proposals/{proposal['id']}/submit", headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.get_json() == again.get_json() and first.get_json()["status"] == "submitted"
    events = db.session.scalar(select(func.count()).select_from(AuditEvent)
                               .where(AuditEvent.action == "proposal.submitted"))
    receipts = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "submission_receipt")).all()
    assert events == 1 and len(receipts) == 1
    assert proposal["reference"] in receipts[0].body and "93,321.00" in receipts[0].body
    assert client.patch(f"/api/v1/proposals/{proposal['id']}", json={"title": "x"}, headers=headers).status_code == 409


def test_failed_checks_answer_422_with_problems(client, applicant, call):
    headers = bearer(client, applicant)
    proposal = _create(client, headers, call)
    response = client.post(f"/api/v1/proposals/{proposal['id']}/submit", headers=headers)
    assert response.status_code == 422
    assert [p["code"] for p in response.get_json()["problems"]] == ["missing_budget"]


def test_the_deadline_answers_409_even_when_checks_also_fail(client, applicant, call, clock):
    headers = bearer(client, applicant)
    proposal = _create(client, headers, call)
    clock(days=31)
    headers = bearer(client, applicant)  # the first token expired meanwhile
    response = client.post(f"/api/v1/proposals/{proposal['id']}/submit", headers=headers)
    assert response.status_code == 409
    assert response.get_json()["problems"][0]["code"] == "call_closed"
    checks = client.get(f"/api/v1/proposals/{proposal['id']}/checks", headers=headers).get_json()
    assert checks["problems"][0]["code"] == "call_closed"


def test_reopen_before_the_deadline_only(client, applicant, call, clock):
    headers = bearer(client, applicant)
    proposal = _complete(client, headers, call)
    client.post(f"/api/v1/proposals/{proposal['id']}/submit", headers=headers)
    assert client.post(f"/api/v1/proposals/{proposal['id']}/reopen", headers=headers).get_json()["status"] == "draft"
    client.post(f"/api/v1/proposals/{proposal['id']}/submit", headers=headers)
    clock(days=31)
    headers = bearer(client, applicant)
    assert client.post(f"/api/v1/proposals/{proposal['id']}/reopen", headers=headers).status_code == 409


def test_the_organisations_limit_holds(client, applicant):
    call = CallFactory(max_proposals_per_organisation=1)
    headers = bearer(client, applicant)
    _create(client, headers, call)
    response = client.post(f"/api/v1/calls/{call.id}/proposals", json={}, headers=headers)
    assert response.status_code == 409 and "limit" in response.get_json()["detail"]


def test_a_call_that_is_not_open_refuses_new_proposals(client, applicant):
    headers = bearer(client, applicant)
    for call in (CallFactory(closed=True), CallFactory(in_review=True)):
        assert client.post(f"/api/v1/calls/{call.id}/proposals", json={}, headers=headers).status_code == 409


def test_withdraw_and_delete(client, applicant, call):
    headers = bearer(client, applicant)
    draft = _create(client, headers, call)
    assert client.delete(f"/api/v1/proposals/{draft['id']}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/proposals/{draft['id']}", headers=headers).status_code == 404
    proposal = _complete(client, headers, call)
    assert client.delete(f"/api/v1/proposals/{proposal['id']}/withdraw", headers=headers).status_code == 405
    client.post(f"/api/v1/proposals/{proposal['id']}/submit", headers=headers)
    assert client.delete(f"/api/v1/proposals/{proposal['id']}", headers=headers).status_code == 409
    response = client.post(f"/api/v1/proposals/{proposal['id']}/withdraw", headers=headers)
    assert response.get_json()["status"] == "withdrawn"


def test_screening_tells_the_applicant(client, applicant, call):
    headers = bearer(client, applicant)
    proposal = _complete(client, headers, call)
    client.post(f"/api/v1/proposals/{proposal['id']}/submit", headers=headers)
    staff = bearer(client, make_user("secretariat"))
    response = client.post(f"/api/v1/proposals/{proposal['id']}/screening",
                           json={"decision": "eligible", "reason": "Meets every rule."}, headers=staff)
    assert response.status_code == 200 and response.get_json()["status"] == "under_review"
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "screening")).one()
    assert mail.to_address == applicant.email and "Meets every rule." in mail.body
    again = client.post(f"/api/v1/proposals/{proposal['id']}/screening",
                        json={"decision": "ineligible", "reason": "x"}, headers=staff)
    assert again.status_code == 409


def test_a_screening_reason_is_optional_when_eligible_and_required_when_ineligible(client, applicant, call):
    staff = bearer(client, make_user("secretariat"))
    first = _submitted(client, bearer(client, applicant), call)
    refused = client.post(f"/api/v1/proposals/{first['id']}/screening", json={"decision": "ineligible"},
                          headers=staff)
    assert refused.status_code == 422 and "reason" in refused.get_json()["errors"]
    blank = client.post(f"/api/v1/proposals/{first['id']}/screening", json={"decision": "ineligible", "reason": " "},
                        headers=staff)
    assert blank.status_code == 422
    eligible = client.post(f"/api/v1/proposals/{first['id']}/screening", json={"decision": "eligible"},
                           headers=staff)
    assert eligible.status_code == 200 and eligible.get_json()["status"] == "under_review"


def test_clarification_question_and_answer(client, applicant, call):
    headers = bearer(client, applicant)
    proposal = _complete(client, headers, call)
    client.post(f"/api/v1/proposals/{proposal['id']}/submit", headers=headers)
    staff = bearer(client, make_user("secretariat"))
    asked = client.post(f"/api/v1/proposals/{proposal['id']}/clarifications",
                        json={"question": "Who trains the officers?"}, headers=staff)
    assert asked.status_code == 201
    answer = client.post(f"/api/v1/clarifications/{asked.get_json()['id']}/answer",
                         json={"answer": "The national academy."}, headers=headers)
    assert answer.status_code == 200 and answer.get_json()["answer"] == "The national academy."
    detail = client.get(f"/api/v1/proposals/{proposal['id']}", headers=headers).get_json()
    assert detail["status"] == "submitted"


@pytest.mark.parametrize("role", ["applicant", "reviewer", "donor"])
def test_another_organisations_proposal_is_404_everywhere(client, applicant, call, role):
    owner = bearer(client, applicant)
    proposal = _complete(client, owner, call)
    other = bearer(client, make_user(role))
    pid = proposal["id"]
    for method, url in [("get", f"/api/v1/proposals/{pid}"), ("patch", f"/api/v1/proposals/{pid}"),
                        ("get", f"/api/v1/proposals/{pid}/checks"), ("post", f"/api/v1/proposals/{pid}/submit"),
                        ("delete", f"/api/v1/proposals/{pid}"), ("put", f"/api/v1/proposals/{pid}/budget")]:
        response = getattr(client, method)(url, json={} if method in ("patch", "put") else None, headers=other)
        assert response.status_code in (403, 404), (method, url, response.status_code)
        if role == "applicant":
            assert response.status_code == 404, (method, url)
    listing = client.get("/api/v1/proposals", headers=other).get_json()
    assert listing["total"] == 0


def test_money_from_the_api_is_exact(client, applicant, call):
    headers = bearer(client, applicant)
    proposal = _create(client, headers, call, cofunding_usd=0.1)
    assert proposal["cofunding_usd"] == "0.10"
    response = client.post(f"/api/v1/calls/{call.id}/proposals", json=proposal_json(cofunding_usd="1.001"),
                           headers=headers)
    assert response.status_code == 422 and "cofunding_usd" in response.get_json()["errors"]


def test_requested_total_is_decimal(app, client, applicant, call):
    headers = bearer(client, applicant)
    proposal = _complete(client, headers, call)
    from unscar.proposals.models import Proposal
    assert db.session.get(Proposal, proposal["id"]).requested_usd == Decimal("93321.00")


def _submitted(client, headers, call):
    proposal = _complete(client, headers, call)
    assert client.post(f"/api/v1/proposals/{proposal['id']}/submit", headers=headers).status_code == 200
    return proposal


def test_another_organisations_clarification_is_404(client, applicant, call):
    proposal = _submitted(client, bearer(client, applicant), call)
    staff = bearer(client, make_user("secretariat"))
    question = client.post(f"/api/v1/proposals/{proposal['id']}/clarifications", json={"question": "Why?"},
                           headers=staff).get_json()
    other = bearer(client, make_user("applicant"))
    response = client.post(f"/api/v1/clarifications/{question['id']}/answer", json={"answer": "x"}, headers=other)
    assert response.status_code == 404


def test_donors_see_proposals_under_review_only_once_the_call_is_in_review(client, applicant, call):
    proposal = _submitted(client, bearer(client, applicant), call)
    staff = bearer(client, make_user("secretariat"))
    client.post(f"/api/v1/proposals/{proposal['id']}/screening", json={"decision": "eligible", "reason": "ok"},
                headers=staff)
    donor = bearer(client, make_user("donor"))
    assert client.get(f"/api/v1/proposals/{proposal['id']}", headers=donor).status_code == 404
    from unscar.calls.models import CallStatus
    call.status = CallStatus.in_review
    db.session.commit()
    detail = client.get(f"/api/v1/proposals/{proposal['id']}", headers=donor).get_json()
    assert detail["status"] == "under_review"
    assert {row["by"] for row in detail["history"]} == {"Applicant", "UNSCAR secretariat"}
    assert client.get("/api/v1/proposals", headers=donor).get_json()["total"] == 1


def test_the_list_is_paginated_and_filtered(client, applicant, call):
    headers = bearer(client, applicant)
    for _ in range(3):
        _create(client, headers, call)
    page = client.get(f"/api/v1/proposals?call_id={call.id}&per_page=2&page=2", headers=headers).get_json()
    assert (page["total"], page["page"], page["per_page"], len(page["items"])) == (3, 2, 2, 1)
    assert client.get("/api/v1/proposals?status=draft", headers=headers).get_json()["total"] == 3
    assert client.get("/api/v1/proposals?status=submitted", headers=headers).get_json()["total"] == 0
    for bad in ("per_page=101", "per_page=0", "page=0", "page=x", "status=lost"):
        assert client.get(f"/api/v1/proposals?{bad}", headers=headers).status_code == 422


def test_the_history_names_colleagues_but_not_staff_to_applicants(client, applicant, call):
    proposal = _submitted(client, bearer(client, applicant), call)
    staff_user = make_user("secretariat", name="Officer Ndlovu")
    client.post(f"/api/v1/proposals/{proposal['id']}/screening", json={"decision": "eligible", "reason": "ok"},
                headers=bearer(client, staff_user))
    history = client.get(f"/api/v1/proposals/{proposal['id']}", headers=bearer(client, applicant)).get_json()["history"]
    assert [row["status"] for row in history] == ["draft", "submitted", "under_review"]
    assert history[1]["by"] == applicant.name and history[2]["by"] == "UNSCAR secretariat"
    staff_view = client.get(f"/api/v1/proposals/{proposal['id']}", headers=bearer(client, staff_user)).get_json()
    assert staff_view["history"][2]["by"] == "Officer Ndlovu"


def test_a_blind_call_warns_but_does_not_block_when_the_name_shows(client, applicant):
    call = CallFactory(blind_review=True)
    headers = bearer(client, applicant)
    name = applicant.organisation.name
    proposal = _create(client, headers, call, summary=f"{name} has trained customs officers since 2010.")
    client.put(f"/api/v1/proposals/{proposal['id']}/budget", json=budget_json(), headers=headers)
    checks = client.get(f"/api/v1/proposals/{proposal['id']}/checks", headers=headers).get_json()
    assert checks["eligible"] is True and checks["problems"] == []
    assert [w["code"] for w in checks["warnings"]] == ["organisation_named"]
    assert "summary" in checks["warnings"][0]["message"]
    assert client.post(f"/api/v1/proposals/{proposal['id']}/submit", headers=headers).status_code == 200


def test_a_budget_can_be_replaced_again(client, applicant, call):
    headers = bearer(client, applicant)
    proposal = _complete(client, headers, call)
    body = budget_json()
    body["lines"] = body["lines"][:2]
    response = client.put(f"/api/v1/proposals/{proposal['id']}/budget", json=body, headers=headers)
    assert response.status_code == 200 and len(response.get_json()["lines"]) == 2
    assert response.get_json()["total_usd"] == "58321.00"
