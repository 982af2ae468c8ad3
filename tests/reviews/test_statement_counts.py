"""Automatic assignment costs as many SQL statements for a large call as for a small one:
the new assignments, their audit events and their mails are written in batches, never a
round trip each (a call of 2,500 proposals makes 7,500 of each; bench/reviews.py)."""
from tests.builders import proposals_under_review
from tests.factories import make_user
from tests.helpers import bearer


def _auto_assign(client, count_statements, headers, reviewers, count: int) -> list:
    call, _proposals = proposals_under_review(count)
    client.put(f"/api/v1/calls/{call.id}/panel", json={"reviewer_ids": [r.id for r in reviewers]}, headers=headers)
    with count_statements() as statements:
        response = client.post(f"/api/v1/calls/{call.id}/assignments/auto", json={}, headers=headers)
    assert response.status_code == 200 and response.get_json()["created"] == 3 * count
    return statements


def test_auto_assignment_costs_as_many_statements_for_many_proposals_as_for_few(client, count_statements):
    reviewers = [make_user("reviewer") for _ in range(4)]
    headers = bearer(client, make_user("secretariat"))
    few = _auto_assign(client, count_statements, headers, reviewers, 2)
    many = _auto_assign(client, count_statements, headers, reviewers, 8)
    assert len(many) == len(few)
