"""The ranking and the recommendation cost as many SQL statements for a large call as for
a small one: reviews and their scores are read in one query, whatever their number."""
from tests.builders import reviewed_call
from tests.factories import make_user
from tests.helpers import bearer


def _statements(client, count_statements, headers, method: str, url: str, body=None) -> list:
    with count_statements() as statements:
        response = client.open(url, method=method, json=body, headers=headers)
    assert response.status_code in (200, 201), response.get_json()
    return statements


def test_the_ranking_and_recommendation_cost_as_many_statements_for_many_proposals_as_for_few(
        client, count_statements):
    reviewers = [make_user("reviewer") for _ in range(3)]
    small, _proposals, staff = reviewed_call(2, reviewers, per_proposal=2)
    large, _proposals, _staff = reviewed_call(7, reviewers, per_proposal=2)
    headers = bearer(client, staff)
    for method, path in (("GET", "ranking"), ("POST", "recommendation")):
        few = _statements(client, count_statements, headers, method, f"/api/v1/calls/{small.id}/{path}", {})
        many = _statements(client, count_statements, headers, method, f"/api/v1/calls/{large.id}/{path}", {})
        assert len(many) == len(few), path
