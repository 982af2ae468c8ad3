"""The query parameters every list takes."""
from marshmallow import Schema, fields, validate

from ..inputs import MAX_PAGE


class PageArgsSchema(Schema):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
