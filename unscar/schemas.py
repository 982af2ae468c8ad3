"""marshmallow pieces every domain's schemas share: the API's money, decimal and id fields,
the query parameters of every list and the envelope every list answers. Part of the
kernel: it imports no domain."""
import re
from functools import cache
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _, ngettext
from marshmallow import Schema, ValidationError, fields, validate

from . import schema_messages  # noqa: F401  (marshmallow's own messages in the reader's language, before any field)
from .inputs import MAX_ID, MAX_PAGE
from .money import MoneyError, format_money, parse_money

# Beyond this no number of the API means anything, and Decimal.quantize would overflow.
MAX_MAGNITUDE = Decimal(10) ** 15
NUMBER_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class MoneyField(fields.Field):
    """USD: a string or a number with at most two decimals in, "150000.00" out."""

    def __init__(self, **kwargs):
        metadata = {"type": "string", "pattern": r"^\d{1,9}(\.\d{1,2})?$", "example": "150000.00",
                    "description": "USD; requests may also give a number with at most two decimals."}
        kwargs["metadata"] = {**metadata, **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return format_money(value)

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            return parse_money(value)
        except MoneyError as error:
            raise ValidationError(str(error)) from None


class DecimalNumber(fields.Field):
    """A JSON number (or numeric string) with at most `places` decimals, read as an exact Decimal."""

    def __init__(self, places: int = 2, **kwargs):
        self.places = places
        kwargs["metadata"] = {"type": "number", **kwargs.get("metadata", {})}
        super().__init__(**kwargs)

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else float(value)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            raise ValidationError(_("Not a valid number."))
        if isinstance(value, str) and not NUMBER_TEXT.fullmatch(value.strip()):
            raise ValidationError(_("Not a valid number: write it with the digits 0-9 and an optional point."))
        try:
            number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
        except InvalidOperation:
            raise ValidationError(_("Not a valid number.")) from None
        if not number.is_finite():
            raise ValidationError(_("Not a valid number: it must be finite."))
        if abs(number) >= MAX_MAGNITUDE:
            raise ValidationError(_("The number is out of range."))
        if number != number.quantize(Decimal(1).scaleb(-self.places)):
            raise ValidationError(ngettext("At most %(num)d decimal.", "At most %(num)d decimals.", self.places))
        return number


class IdField(fields.Integer):
    """An object's id in a query string or a body: 1..MAX_ID, so it fits an id column."""

    def __init__(self, **kwargs):
        super().__init__(validate=validate.Range(min=1, max=MAX_ID), **kwargs)


class PageArgsSchema(Schema):
    """The query parameters every list takes."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))


@cache  # one class per item schema, so the OpenAPI document names each page once
def page_schema(item_schema: type[Schema]) -> type[Schema]:
    """API.md's list envelope around `item_schema` (api/io.paginated writes it), named
    <Item>PageSchema in the OpenAPI document."""
    name = item_schema.__name__.removesuffix("Schema") + "PageSchema"
    return Schema.from_dict({
        "items": fields.List(fields.Nested(item_schema), required=True),
        "page": fields.Integer(required=True),
        "per_page": fields.Integer(required=True),
        "total": fields.Integer(required=True),
    }, name=name)
