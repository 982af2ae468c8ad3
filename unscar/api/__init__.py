"""The /api/v1 blueprint: JSON in and out, bearer tokens, problem+json errors."""
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


# Each module adds its routes to bp.
from . import accounts  # noqa: E402,F401
from . import calls  # noqa: E402,F401
from . import decisions  # noqa: E402,F401
from . import proposals  # noqa: E402,F401
from . import reviews  # noqa: E402,F401
