"""The values a donor, a contribution or a ledger entry may take, checked by the services
for every channel; each refusal is a ValidationFailed (422) naming the API's field."""
from datetime import date
from decimal import Decimal, InvalidOperation

import pycountry
from flask_babel import gettext as _

from ..errors import ValidationFailed
from ..money import MAX_AMOUNT, MoneyError, parse_money, round_cents
from ..regions import REGIONS, is_country
from ..vocabulary import THEME_LABELS
from .models import EARMARK_MAX, NAME_MAX

RATE_PLACES = 6
RATE_UNIT = Decimal(1).scaleb(-RATE_PLACES)
# No currency is worth this many dollars a unit; beyond it a rate is a typing error.
MAX_RATE = Decimal("1000000")
# ISO 4217 codes that name no money a donor pays in: precious metals, bond-market units,
# the SDR's relatives, the testing and "no currency" codes.
NOT_PAYABLE = {"XAG", "XAU", "XPD", "XPT", "XBA", "XBB", "XBC", "XBD", "XSU", "XUA", "XTS", "XXX", "XDR"}


def _refuse(field: str, message: str):
    raise ValidationFailed(message, errors={field: [message]})


def check_amount(value, field: str = "amount") -> Decimal:
    """A positive amount with at most two decimals, at most 999,999,999.99."""
    try:
        amount = parse_money(value)
    except MoneyError as error:
        _refuse(field, str(error))
    if amount <= 0:
        _refuse(field, _("The amount must be greater than zero."))
    return amount


def check_rate(value, field: str = "usd_rate") -> Decimal:
    """USD per unit of the currency: positive, at most six decimals."""
    try:
        rate = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        _refuse(field, _("Not a valid exchange rate."))
    if isinstance(value, bool) or not rate.is_finite():
        _refuse(field, _("Not a valid exchange rate."))
    if rate <= 0:
        _refuse(field, _("The exchange rate must be greater than zero."))
    if rate >= MAX_RATE:
        _refuse(field, _("The exchange rate must be below %(max)s USD a unit.", max=format(MAX_RATE, ",")))
    if rate != rate.quantize(RATE_UNIT):
        _refuse(field, _("The exchange rate may have at most %(places)d decimals.", places=RATE_PLACES))
    return rate.quantize(RATE_UNIT)


def usd_value(amount: Decimal, rate: Decimal) -> Decimal:
    """The USD value of an amount at a rate, rounded half-up to cents; refused beyond what
    the fund's columns hold."""
    usd = round_cents(amount * rate)
    if usd > MAX_AMOUNT:
        _refuse("amount", _("At this rate the contribution would exceed USD 999,999,999.99."))
    if usd <= 0:
        _refuse("amount", _("At this rate the contribution is worth less than one US cent."))
    return usd


def check_currency(value) -> str:
    code = value.strip().upper() if isinstance(value, str) else ""
    if len(code) != 3 or code in NOT_PAYABLE or pycountry.currencies.get(alpha_3=code) is None:
        _refuse("currency", _("Not an ISO 4217 currency code (such as USD, EUR, NOK, CHF)."))
    return code


def check_earmark(value) -> str | None:
    """None, "theme:<theme key>" or "region:<UN M49 region>"."""
    if value is None or value == "":
        return None
    kind, _colon, key = value.partition(":") if isinstance(value, str) else ("", "", "")
    if len(value) > EARMARK_MAX or not (kind == "theme" and key in THEME_LABELS
                                        or kind == "region" and key in REGIONS):
        _refuse("earmark", _("An earmark is \"theme:<key>\" with a theme of the vocabulary (such as "
                             "theme:legislation) or \"region:<Region>\" (Africa, Americas, Asia, Europe, Oceania)."))
    return value


def check_date(value, field: str = "date") -> date:
    if not isinstance(value, date):
        _refuse(field, _("Give a date (YYYY-MM-DD)."))
    return value


def check_name(value) -> str:
    name = value.strip() if isinstance(value, str) else ""
    if not name or len(name) > NAME_MAX:
        _refuse("name", _("Give the donor's name (at most %(max)d characters).", max=NAME_MAX))
    return name


def check_country(value) -> str:
    if not isinstance(value, str) or len(value.strip()) != 3 or not is_country(value.strip()):
        _refuse("country", _("Not an ISO 3166-1 alpha-3 country code (such as NOR)."))
    return value.strip().upper()
