"""The query parameters every list takes, and the envelope every list answers."""
from functools import cache

from marshmallow import Schema, fields, validate


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))


@cache  # one class per item schema, so the OpenAPI document names each page once
def page_schema(item_schema: type[Schema]) -> type[Schema]:
    """The documented shape of one page of `item_schema` (io.paginated writes it)."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema), required=True),
        "page": fields.Integer(required=True),
        "per_page": fields.Integer(required=True),
        "total": fields.Integer(required=True),
    }, name=name)
