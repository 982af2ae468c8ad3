"""The OpenAPI document is valid and documents every /api/v1 route."""
import re

from openapi_spec_validator import validate


def _document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_the_document_is_valid_openapi(client):
    document = _document(client)
    assert document["openapi"].startswith("3.")
    validate(document)


def test_every_api_route_is_documented(client, app):
    paths = _document(client)["paths"]
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1"):
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule[len("/api/v1"):])
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if method.lower() not in paths.get(path, {}):
                missing.append(f"{method} {rule.rule}")
    assert missing == []


def test_text_limits_and_errors_are_documented(client):
    document = _document(client)
    register = document["paths"]["/register"]["post"]
    assert {"201", "400", "409", "413", "422"} <= set(register["responses"])
    schema_ref = register["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = document["components"]["schemas"][schema_ref.rsplit("/", 1)[1]]
    organisation = document["components"]["schemas"][
        schema["properties"]["organisation"]["allOf"][0]["$ref"].rsplit("/", 1)[1]
        if "allOf" in schema["properties"]["organisation"]
        else schema["properties"]["organisation"]["$ref"].rsplit("/", 1)[1]]
    assert organisation["properties"]["name"]["maxLength"] == 200
    assert "bearerAuth" in document["components"]["securitySchemes"]
    assert document["paths"]["/users"]["post"]["security"] == [{"bearerAuth": []}]


def test_unknown_api_routes_and_methods_answer_problem_json(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    response = client.put("/api/v1/me")
    assert response.status_code == 405
    assert response.get_json()["status"] == 405
