"""The OpenAPI document describes the answers as they are: each list route's real answer,
for the roles that may call it, validates against its documented schema, and a malformed
upload's 400 is documented."""
import copy
import io

import pytest
from openapi_schema_validator import OAS30Validator
from sqlalchemy import select

from tests.helpers import api_token
from unscar.calls.models import Call, CallStatus
from unscar.demo import DEMO_PASSWORD, load_demo
from unscar.extensions import db

LOGINS = {
    "applicant": "applicant1@demo.unscar.org",
    "secretariat": "secretariat1@demo.unscar.org",
    "reviewer": "reviewer2@demo.unscar.org",
    "donor": "donor4@demo.unscar.org",
}


def _inline(node, components):
    """The schema with every $ref replaced by its component, and no property left out:
    an object may hold only the properties it documents."""
    if isinstance(node, list):
        return [_inline(item, components) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        return _inline(copy.deepcopy(components[node["$ref"].rsplit("/", 1)[1]]), components)
    schema = {key: _inline(value, components) for key, value in node.items()}
    if "properties" in schema:
        schema.setdefault("additionalProperties", False)
    return schema


def _list_routes(document) -> dict[str, dict]:
    """GET routes (without path parameters but a call's) whose 200 answer is a list:
    a page, an array, or an object of `items` (a ranking)."""
    routes = {}
    components = document["components"]["schemas"]
    for path, operations in document["paths"].items():
        answer = operations.get("get", {}).get("responses", {}).get("200", {})
        schema = answer.get("content", {}).get("application/json", {}).get("schema")
        if "{" in path.replace("{call_id}", "") or schema is None:
            continue
        schema = _inline(schema, components)
        if schema.get("type") == "array" or "items" in schema.get("properties", {}):
            routes[path] = schema
    return routes


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").get_json()


def test_the_paginated_lists_are_documented_as_pages(document):
    routes = _list_routes(document)
    assert {"/proposals", "/assignments", "/calls", "/calls/{call_id}/ranking"} <= set(routes)
    for path in ("/proposals", "/assignments"):
        assert routes[path]["type"] == "object", path
        assert set(routes[path]["required"]) == {"items", "page", "per_page", "total"}


def test_every_list_answers_as_documented(app, client, document):
    load_demo()
    db.session.commit()
    tokens = {role: api_token(client, email, DEMO_PASSWORD) for role, email in LOGINS.items()}
    in_review = db.session.scalars(select(Call).where(Call.status == CallStatus.in_review)).first()
    answered = set()
    for path, schema in _list_routes(document).items():
        for role, token in [("anonymous", None), *tokens.items()]:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = client.get(f"/api/v1{path}".replace("{call_id}", str(in_review.id)), headers=headers)
            if response.status_code != 200:
                assert str(response.status_code) in document["paths"][path]["get"]["responses"], (path, role)
                continue
            OAS30Validator(schema).validate(response.get_json())
            answered.add(path)
    assert {"/proposals", "/assignments", "/calls", "/calls/{call_id}/ranking"} <= answered


@pytest.mark.parametrize("path", ["/proposals/{proposal_id}/attachments",
                                  "/clarifications/{clarification_id}/attachments",
                                  "/calls/{call_id}/templates"])
def test_uploads_document_the_malformed_multipart_400_and_the_repeat(document, path):
    responses = document["paths"][path]["post"]["responses"]
    assert "400" in responses and "multipart" in responses["400"]["description"]
    if "attachments" in path:
        assert {"200", "201"} <= set(responses)


# Werkzeug leaves the temporary file of a truncated part for the garbage collector.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_malformed_upload_answers_400_problem_json(client):
    from tests.factories import CallFactory, make_user
    from tests.helpers import bearer
    from tests.bodies import proposal_json

    owner = make_user("applicant")
    headers = bearer(client, owner)
    draft = client.post(f"/api/v1/calls/{CallFactory().id}/proposals", json=proposal_json(), headers=headers)
    url = f"/api/v1/proposals/{draft.get_json()['id']}/attachments"
    broken = client.post(url, headers={**headers, "Content-Type": "multipart/form-data; boundary=x"},
                         data=b"--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n%PDF")
    wrong_field = client.post(url, headers=headers, data={"document": (io.BytesIO(b"%PDF-1.4"), "a.pdf")},
                              content_type="multipart/form-data")
    for response in (broken, wrong_field):
        assert response.status_code == 400
        assert response.mimetype == "application/problem+json"
