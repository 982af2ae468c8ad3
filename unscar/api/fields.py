"""marshmallow fields for the API's conventions: money as two-decimal strings, exact decimals.

Schemas that use these are imported by the api package's modules (importing this module
runs unscar/api/__init__.py first, which imports those modules in turn).
"""
import re
from decimal import Decimal, InvalidOperation

from marshmallow import ValidationError, fields, validate

from ..inputs import MAX_ID
from ..money import MoneyError, format_money, parse_money

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
            raise ValidationError("Not a valid number.")
        if isinstance(value, str) and not NUMBER_TEXT.fullmatch(value.strip()):
            raise ValidationError("Not a valid number: write it with the digits 0-9 and an optional point.")
        try:
            number = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
        except InvalidOperation:
            raise ValidationError("Not a valid number.") from None
        if not number.is_finite():
            raise ValidationError("Not a valid number: it must be finite.")
        if abs(number) >= MAX_MAGNITUDE:
            raise ValidationError("The number is out of range.")
        if number != number.quantize(Decimal(1).scaleb(-self.places)):
            raise ValidationError(f"At most {self.places} decimals.")
        return number


class IdField(fields.Integer):
    """An object's id in a query string or a body: 1..MAX_ID, so it fits a BIGINT."""

    def __init__(self, **kwargs):
        super().__init__(validate=validate.Range(min=1, max=MAX_ID), **kwargs)
