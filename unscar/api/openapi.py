"""The OpenAPI 3 document, built from the routes' @documented metadata and their schemas."""
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app
from marshmallow import Schema, fields

API_PREFIX = "/api/v1"
ERROR_STATUSES = {
    400: "The body is not JSON, or not a JSON object.",
    "400-multipart": "The body is not multipart/form-data with a `file` part.",
    401: "Not authenticated.",
    403: "The role may never use this call.",
    404: "Unknown, or not visible to this user.",
    409: "The object's state or the clock forbids it.",
    413: "The body is too large.",
    422: "Values that break a rule; `errors` names each field by its dotted path.",
    429: "Throttled; see Retry-After.",
}


class ProblemSchema(Schema):
    type = fields.String()
    title = fields.String()
    status = fields.Integer()
    detail = fields.String()
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    problems = fields.List(fields.Dict())


def documented(summary: str, *, body=None, response=None, status: int = 200, query=None,
               errors: tuple[int, ...] = (), description: str = "", content_type: str = "application/json",
               multipart_file: bool = False, repeat_status: int | None = None, text_body: str | None = None):
    """Record what a route takes and answers, for the OpenAPI document.

    `repeat_status`: the success status of a repeated request that changes nothing and
    answers with what the first one made (a second upload of the same file).
    `text_body`: the media type of a body that is text, not JSON (a CSV file)."""

    def decorator(view):
        view.openapi = dict(summary=summary, body=body, response=response, status=status, query=query,
                            errors=errors, description=description, content_type=content_type,
                            multipart_file=multipart_file, repeat_status=repeat_status, text_body=text_body)
        return view

    return decorator


def _path(rule: str) -> tuple[str, list[tuple[str, str]]]:
    """The OpenAPI path and its parameters as (name, type): integers for <int:...>, else strings."""
    params = [(name, "integer" if converter == "int" else "string")
              for converter, name in re.findall(r"<(?:([^:<>]+):)?([^<>]+)>", rule)]
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule), params


def _operation(meta: dict, view, params: list[str]) -> dict:
    op = {"summary": meta["summary"], "responses": {}}
    if meta["description"]:
        op["description"] = meta["description"]
    parameters = [{"in": "path", "name": n, "required": True, "schema": {"type": kind}} for n, kind in params]
    if meta["query"] is not None:
        parameters.append({"in": "query", "schema": meta["query"]})
    if parameters:
        op["parameters"] = parameters
    if meta["body"] is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": meta["body"]}}}
    elif meta["text_body"] is not None:
        op["requestBody"] = {"required": True, "content": {meta["text_body"]: {"schema": {"type": "string"}}}}
    elif meta["multipart_file"]:
        op["requestBody"] = {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "required": ["file"],
            "properties": {"file": {"type": "string", "format": "binary"}}}}}}
    ok = {"description": "Success"}
    if meta["response"] is not None:
        ok["content"] = {meta["content_type"]: {"schema": meta["response"]}}
    elif meta["content_type"] != "application/json":
        ok["content"] = {meta["content_type"]: {"schema": {"type": "string"}}}
    op["responses"][str(meta["status"])] = ok
    if meta["repeat_status"] is not None:
        op["responses"][str(meta["repeat_status"])] = {**ok, "description": "Already done: the first result"}
    statuses = set(meta["errors"]) | {422} if (meta["body"] or meta["query"]) else set(meta["errors"])
    if meta["body"] is not None or meta["multipart_file"] or meta["text_body"] is not None:
        statuses |= {400, 413}
    if getattr(view, "auth_required", False):
        op["security"] = [{"bearerAuth": []}]
        statuses |= {401}
        if getattr(view, "roles", None):
            statuses |= {403}
            op["description"] = (op.get("description", "") + f"\n\nRoles: {', '.join(view.roles)}.").strip()
    for code in sorted(statuses):
        key = "400-multipart" if code == 400 and meta["multipart_file"] else code
        op["responses"][str(code)] = {"description": ERROR_STATUSES.get(key, "Error"),
                                      "content": {"application/problem+json": {"schema": "Problem"}}}
    return op


def build_spec() -> dict:
    spec = APISpec(title="UNSCAR Grants API", version="1.0.0", openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "The REST contract of UNSCAR Grants (API.md)."})
    spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Problem", schema=ProblemSchema)
    paths: dict[str, dict] = {}
    for rule in current_app.url_map.iter_rules():
        if not rule.rule.startswith(API_PREFIX):
            continue
        view = current_app.view_functions[rule.endpoint]
        meta = getattr(view, "openapi", None)
        if meta is None:
            continue
        path, params = _path(rule.rule[len(API_PREFIX):])
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(meta, view, params)
    for path, operations in sorted(paths.items()):
        spec.path(path=path, operations=operations)
    document = spec.to_dict()
    document["servers"] = [{"url": API_PREFIX}]
    return document
