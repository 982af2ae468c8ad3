"""marshmallow pieces every domain's schemas share: the API's money and decimal fields and
the query parameters of every list. Part of the kernel: it imports no domain."""
from decimal import Decimal, InvalidOperation

from marshmallow import Schema, ValidationError, fields, validate

from .money import MoneyError, format_money, parse_money


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
            raise ValidationError("Not a valid number.")
        try:
            number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
        except InvalidOperation:
            raise ValidationError("Not a valid number.") from None
        if not number.is_finite():
            raise ValidationError("Not a valid number: it must be finite.")
        if number != number.quantize(Decimal(1).scaleb(-self.places)):
            raise ValidationError(f"At most {self.places} decimals.")
        return number


class PageArgsSchema(Schema):
    """The query parameters every list takes."""

    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
