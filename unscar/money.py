"""Money: Decimal in Python, NUMERIC(14, 2) on PostgreSQL, integer cents on SQLite; and the
fixed-point column type for the other exact decimals (weights, percentages)."""
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from babel.numbers import NumberFormatError, format_decimal, get_decimal_symbol, get_group_symbol, parse_decimal
from flask_babel import gettext as _
from sqlalchemy import BigInteger, Numeric
from sqlalchemy.types import TypeDecorator

from .i18n import reader_locale

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999.99")
# Decimal() also reads "1e2", "1_000", " 12 " and full-width or Arabic-Indic digits; an
# amount is written with ASCII digits, an optional point and at most two decimals.
AMOUNT_TEXT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class MoneyError(ValueError):
    """A value that is not an acceptable amount of money; the message is for people, in
    the request's language."""


def round_cents(value: Decimal) -> Decimal:
    """Round half-up to cents, the way budgets are computed."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_money(value) -> Decimal:
    """Read an amount given as a string or a number with at most two decimals.

    Floats are read through their shortest repr, so 0.1 means 0.10, not its binary
    approximation. Refuses negatives, NaN, infinities and amounts above MAX_AMOUNT.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float, Decimal)):
        raise MoneyError(_("Not a valid amount: give a number or a string such as \"1500.00\"."))
    if isinstance(value, str) and not AMOUNT_TEXT.fullmatch(value.strip()):
        raise MoneyError(_("Not a valid amount: write it with the digits 0-9 and at most two decimals, "
                           "such as \"1500.00\"."))
    try:
        amount = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        raise MoneyError(_("Not a valid amount: give a number or a string such as \"1500.00\".")) from None
    if not amount.is_finite():
        raise MoneyError(_("Not a valid amount: it must be a finite number."))
    if amount < 0:
        raise MoneyError(_("The amount may not be negative."))
    if amount > MAX_AMOUNT:
        raise MoneyError(_("The amount may not exceed 999,999,999.99."))
    if amount.as_tuple().exponent < -2 and amount != round_cents(amount):
        raise MoneyError(_("The amount may have at most two decimals."))
    return round_cents(amount)


def group_money(amount) -> str:
    """The pages' form, in the reader's language: thousands grouped, two decimals
    ("150,000.00" in English, "150 000,00" in French), what every money field of the web
    forms reads back (read_typed_amount); "" for None. Takes the API's strings too (a
    stored recommendation's totals)."""
    if amount is None or amount == "":
        return ""
    return format_decimal(round_cents(Decimal(str(amount))), format="#,##0.00", locale=reader_locale())


_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
# Arabic-Indic digits, decimal separator and thousands separator in their Latin form.
_FROM_ARABIC_INDIC = str.maketrans(ARABIC_INDIC_DIGITS + "٫٬", "0123456789.,")


def read_typed_amount(text: str) -> Decimal | str:
    """An amount typed in a web form, as the reader's language writes numbers ("1 500,50"
    in French, "1.500,50" in Spanish, "1,500.50" in English) or in the plain form
    ("1500.50"); spaces are ignored. What reads as neither is returned as typed, for
    parse_money to refuse with its message. The API takes the plain form only."""
    compact = _SPACES.sub("", text)
    locale = reader_locale()
    # Only the digits and signs the reader's language writes numbers with: Decimal would also
    # read "1e5", "1_000" and full-width digits, which nobody types as an amount.
    allowed = set("0123456789-") | set(get_decimal_symbol(locale) + get_group_symbol(locale))
    if locale.language == "ar":
        allowed |= set(ARABIC_INDIC_DIGITS + "٫٬")
    if not compact or not set(compact) <= allowed:
        return compact
    if locale.language == "ar":
        compact = compact.translate(_FROM_ARABIC_INDIC)
    try:
        return parse_decimal(compact, locale=locale, strict=True)
    except NumberFormatError:
        return compact


def format_money(amount: Decimal | None) -> str | None:
    """The API's form: a string with two decimals."""
    return None if amount is None else str(round_cents(Decimal(amount)))


class Money(TypeDecorator):
    """An exact amount in USD (or the currency a column names), always two decimals."""

    impl = Numeric(14, 2)
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            # SQLite has no decimal type; integer cents are exact and sum exactly.
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(14, 2, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = round_cents(Decimal(value))
        return int(value * 100) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return (Decimal(int(value)) / 100).quantize(CENT)
        return round_cents(Decimal(value))


class FixedDecimal(TypeDecorator):
    """Decimal in Python, NUMERIC(precision, scale) on PostgreSQL, scaled integers on SQLite.

    SQLite has no decimal type (SQLAlchemy would go through floats and warn), so, as for
    Money, the value is kept as an integer count of 10**-scale units.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int = 2):
        super().__init__(precision=precision, scale=scale)
        self.scale = scale
        self.unit = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.impl.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        value = Decimal(value).quantize(self.unit, rounding=ROUND_HALF_UP)
        return int(value.scaleb(self.scale)) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.scale).quantize(self.unit)
        return Decimal(value).quantize(self.unit)
