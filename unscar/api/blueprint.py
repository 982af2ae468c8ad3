"""The /api/v1 blueprint, shared by one module per part: JSON in and out, bearer tokens,
problem+json errors, and the OpenAPI document of every route."""
from flask import Blueprint, jsonify

from .openapi import build_spec, documented

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.before_request
def _authenticate():
    from .auth import load_bearer_user

    load_bearer_user()


@bp.get("/openapi.json")
@documented("This OpenAPI 3 document")
def openapi_document():
    return jsonify(build_spec())

