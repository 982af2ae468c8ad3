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
