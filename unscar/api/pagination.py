"""The query parameters every list takes, and the envelope every list answers."""
from marshmallow import Schema, fields, validate

from ..inputs import MAX_PAGE


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))


def page_schema(item_schema: type[Schema]) -> type[Schema]:
    """API.md's list envelope around `item_schema`, named <Item>Page in the OpenAPI document."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return type(name, (Schema,), {"items": fields.List(fields.Nested(item_schema)), "page": fields.Integer(),
                                  "per_page": fields.Integer(), "total": fields.Integer()})
