"""Reading JSON bodies and query strings, writing lists: the API's conventions."""
import json

from flask import current_app, request
from flask_babel import gettext as _, lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import func, select

from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..inputs import BadInput as BadRequest  # noqa: F401  (imported from here by the API's modules)
from ..inputs import check_json


class PayloadTooLarge(DomainError):
    status = 413
    title = _l("Content Too Large")


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")


def flatten_errors(messages, prefix: str = "") -> dict[str, list[str]]:
    """marshmallow's nested messages as {"lines.3.unit_cost_usd": [...]}."""
    flat: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            path = str(key) if not prefix else f"{prefix}.{key}"
            if key == "_schema":
                path = prefix or "_schema"
            for sub_path, sub_messages in flatten_errors(value, path).items():
                flat.setdefault(sub_path, []).extend(sub_messages)
    elif isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        # str(): marshmallow's own messages are read in the reader's language (schema_messages.py).
        flat[prefix or "_schema"] = [str(m) for m in messages]
    elif isinstance(messages, list):
        for item in messages:
            for sub_path, sub_messages in flatten_errors(item, prefix).items():
                flat.setdefault(sub_path, []).extend(sub_messages)
    else:
        flat[prefix or "_schema"] = [str(messages)]
    return flat


def json_body() -> dict:
    """The request's JSON object: 413 over 1 MiB, 400 when not a JSON object."""
    limit = current_app.config["MAX_JSON_BYTES"]
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(_("The JSON body may be at most %(limit)s bytes.", limit=limit))
    raw = request.get_data(cache=True)
    if len(raw) > limit:
        raise PayloadTooLarge(_("The JSON body may be at most %(limit)s bytes.", limit=limit))
    if request.mimetype != "application/json":
        raise BadRequest(_("Send the body as JSON with Content-Type: application/json."))
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError) as error:
        raise BadRequest(_("The body is not valid JSON: %(error)s", error=error)) from None
    except RecursionError:
        raise BadRequest(_("The body is nested too deeply.")) from None
    if not isinstance(data, dict):
        raise BadRequest(_("The body must be a JSON object."))
    check_json(data)
    return data


def load(schema, data=None, **kwargs):
    """Validate `data` (default: the JSON body) with a marshmallow schema, or 422."""
    if data is None:
        data = json_body()
    try:
        return schema.load(data, **kwargs)
    except ValidationError as error:
        raise ValidationFailed(_("Some fields are missing or invalid."),
                               errors=flatten_errors(error.messages)) from None


def load_args(schema):
    """Validate the query string with a marshmallow schema, or 422 (check_query_string has
    already refused unstorable text)."""
    return load(schema, request.args.to_dict())


def paginated(stmt, schema, args, adjust=None) -> dict:
    """One page of `stmt` (already ordered) as API.md's list envelope; `adjust(row, item)`
    may rewrite each dumped item (e.g. anonymise it for a blind reviewer)."""
    page, per_page = args["page"], args["per_page"]
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    items = schema.dump(rows, many=True)
    if adjust is not None:
        items = [adjust(row, item) for row, item in zip(rows, items)]
    return {"items": items, "page": page, "per_page": per_page, "total": total}
