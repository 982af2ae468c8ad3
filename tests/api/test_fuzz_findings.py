"""What the fuzz runs found, pinned as plain tests: each answer checked against the
operation's documented schema with schemathesis's own validator."""
from tests.api.fuzzing import api_schema
from tests.bodies import proposal_json
from tests.factories import CallFactory, make_user
from tests.helpers import bearer


def test_starting_and_changing_a_draft_answer_with_the_documented_body(app, client):
    # Found by the deep stateful run: both answered a "decision" field (null for a draft)
    # that their documented schema, ProposalDetail, forbids.
    schema = api_schema(app)
    headers = bearer(client, make_user("applicant"))
    created = client.post(f"/api/v1/calls/{CallFactory().id}/proposals", json=proposal_json(), headers=headers)
    assert created.status_code == 201 and created.get_json()["decision"] is None
    schema["/calls/{call_id}/proposals"]["POST"].validate_response(created)
    changed = client.patch(f"/api/v1/proposals/{created.get_json()['id']}", json={"title": "Renamed"},
                           headers=headers)
    assert changed.status_code == 200 and changed.get_json()["title"] == "Renamed"
    schema["/proposals/{proposal_id}"]["PATCH"].validate_response(changed)


# One past PostgreSQL's INTEGER, the type of every id column; within SQLite's and a BIGINT.
BEYOND_INTEGER = 2**31


def test_an_id_beyond_the_id_columns_is_unknown_not_a_server_error(app, client):
    # Found by the PostgreSQL fuzz run: PostgreSQL refused the query ("integer out of range").
    headers = bearer(client, make_user("secretariat"))
    for url in (f"/api/v1/calls/{BEYOND_INTEGER}", f"/api/v1/grants/{BEYOND_INTEGER}"):
        assert client.get(url, headers=headers).status_code == 404, url
    for url in (f"/api/v1/proposals?call_id={BEYOND_INTEGER}", f"/api/v1/contributions?donor_id={BEYOND_INTEGER}",
                f"/api/v1/reports?grant_id={BEYOND_INTEGER}"):
        response = client.get(url, headers=headers)
        assert response.status_code in (200, 422), url
        if response.status_code == 200:
            assert response.get_json()["items"] == []
    body = {"email": "new@example.org", "name": "New", "password": "a long enough password", "roles": ["applicant"],
            "organisation_id": BEYOND_INTEGER}
    response = client.post("/api/v1/users", json=body, headers=bearer(client, make_user("admin")))
    assert response.status_code == 422 and "organisation_id" in response.get_json()["errors"]
