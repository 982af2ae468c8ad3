"""The rules a call's values must satisfy, whichever way they arrive (page, API, demo).

check_call() returns every broken rule at once, keyed by the API's dotted field paths.
"""
from decimal import Decimal

from flask_babel import gettext as _

from ..languages import is_language
from ..money import MoneyError, parse_money
from ..regions import REGIONS, is_country
from ..vocabulary import INSTRUMENT_LABELS, N_, THEME_LABELS, OrganisationType
from .models import CRITERION_NAME_MAX, DESCRIPTION_MAX, GUIDANCE_MAX, GUIDELINES_MAX, TITLE_MAX

MAX_CRITERIA = 30
MAX_WEIGHT = Decimal("1000")
MAX_DURATION_MONTHS = 120
YEARS = range(2000, 2101)
APPLICANT_TYPES = tuple(t.value for t in OrganisationType)
# Each vocabulary's keys, and the message (translated when read) for a key outside them.
VOCABULARIES = {
    "eligible_applicant_types": (APPLICANT_TYPES, N_("%(key)s is not an applicant type of the vocabulary.")),
    "eligible_regions": (REGIONS, N_("%(key)s is not an M49 region of the vocabulary.")),
    "themes": (tuple(THEME_LABELS), N_("%(key)s is not a theme of the vocabulary.")),
    "instruments": (tuple(INSTRUMENT_LABELS), N_("%(key)s is not an instrument of the vocabulary.")),
}
NON_EMPTY_LISTS = ("eligible_applicant_types", "themes", "instruments")


def _money_errors(values: dict, errors: dict) -> None:
    for name in ("envelope_usd", "min_budget_usd", "max_budget_usd"):
        try:
            values[name] = parse_money(values[name])
        except MoneyError as error:
            errors[name] = [str(error)]
    if errors.keys() & {"envelope_usd", "min_budget_usd", "max_budget_usd"}:
        return
    if values["min_budget_usd"] > values["max_budget_usd"]:
        errors["min_budget_usd"] = [_("The minimum budget is above the maximum.")]
    if values["max_budget_usd"] > values["envelope_usd"]:
        errors["max_budget_usd"] = [_("The maximum budget per proposal is above the call's envelope.")]


def _date_errors(values: dict, errors: dict) -> None:
    if values["closes_at"] <= values["opens_at"]:
        errors["closes_at"] = [_("The call must close after it opens.")]
    review = values.get("review_closes_at")
    if review is not None and review <= values["closes_at"]:
        errors["review_closes_at"] = [_("Reviews must close after the call closes.")]


def _number_errors(values: dict, errors: dict) -> None:
    low, high = values["min_duration_months"], values["max_duration_months"]
    if low < 1:
        errors["min_duration_months"] = [_("A project lasts at least one month.")]
    elif low > high:
        errors["min_duration_months"] = [_("The minimum duration is above the maximum.")]
    if high > MAX_DURATION_MONTHS:
        errors["max_duration_months"] = [_("At most %(num)d months.", num=MAX_DURATION_MONTHS)]
    cap = Decimal(values["indirect_cap_pct"])
    if not (0 <= cap <= 100) or cap != cap.quantize(Decimal("0.01")):
        errors["indirect_cap_pct"] = [_("A percentage from 0 to 100 with at most two decimals.")]
    if values["year"] not in YEARS:
        errors["year"] = [_("A year from %(first)d to %(last)d.", first=YEARS[0], last=YEARS[-1])]
    if not 1 <= values["reviewers_per_proposal"] <= 10:
        errors["reviewers_per_proposal"] = [_("From 1 to 10 reviewers.")]
    if not 2 <= values["scale_max"] <= 10:
        errors["scale_max"] = [_("A scale from 1 to between 2 and 10.")]
    limit = values.get("max_proposals_per_organisation")
    if limit is not None and limit < 1:
        errors["max_proposals_per_organisation"] = [_("At least 1, or no limit.")]


def _text_errors(values: dict, errors: dict) -> None:
    if not values["title"].strip():
        errors["title"] = [_("Give the call a title.")]
    elif len(values["title"]) > TITLE_MAX:
        errors["title"] = [_("At most %(num)d characters.", num=TITLE_MAX)]
    for name, limit in (("description", DESCRIPTION_MAX), ("guidelines", GUIDELINES_MAX)):
        if len(values[name] or "") > limit:
            errors[name] = [_("At most %(num)d characters.", num=limit)]
    for code, text in (values.get("translations") or {}).items():
        if not is_language(code):
            errors[f"translations.{code}"] = [
                _("%(code)s is not an ISO 639-1 language code (en, fr, es, ar, zh, ru, ...).", code=repr(code))]
        for name, limit in (("title", TITLE_MAX), ("description", DESCRIPTION_MAX), ("guidelines", GUIDELINES_MAX)):
            if len(text[name]) > limit:
                errors[f"translations.{code}.{name}"] = [_("At most %(num)d characters.", num=limit)]


def _vocabulary_errors(values: dict, errors: dict) -> None:
    for name, (keys, message) in VOCABULARIES.items():
        for index, key in enumerate(values[name]):
            if key not in keys:
                errors[f"{name}.{index}"] = [_(message, key=repr(key))]
    for index, code in enumerate(values["eligible_countries"]):
        if not is_country(code):
            errors[f"eligible_countries.{index}"] = [
                _("%(code)s is not an ISO 3166-1 alpha-3 country code.", code=repr(code))]
    for index, code in enumerate(values.get("languages") or []):
        if not is_language(code):
            errors[f"languages.{index}"] = [
                _("%(code)s is not an ISO 639-1 language code (en, fr, es, ar, zh, ru, ...).", code=repr(code))]
    for name in NON_EMPTY_LISTS:
        if not values[name]:
            errors[name] = [_("Choose at least one.")]


def _criteria_errors(criteria: list[dict], errors: dict) -> None:
    if not criteria:
        errors["criteria"] = [_("Give at least one scoring criterion.")]
    elif len(criteria) > MAX_CRITERIA:
        errors["criteria"] = [_("At most %(num)d criteria.", num=MAX_CRITERIA)]
    for index, criterion in enumerate(criteria):
        name = (criterion.get("name") or "").strip()
        if not name or len(name) > CRITERION_NAME_MAX:
            errors[f"criteria.{index}.name"] = [_("A name of 1 to %(num)d characters.", num=CRITERION_NAME_MAX)]
        if len(criterion.get("guidance") or "") > GUIDANCE_MAX:
            errors[f"criteria.{index}.guidance"] = [_("At most %(num)d characters.", num=GUIDANCE_MAX)]
        weight = criterion.get("weight")
        if not isinstance(weight, Decimal) or not weight.is_finite() or not 0 < weight <= MAX_WEIGHT \
                or weight != weight.quantize(Decimal("0.01")):
            errors[f"criteria.{index}.weight"] = [
                _("A positive weight up to %(max)s with at most two decimals.", max=MAX_WEIGHT)]


def check_call(values: dict, criteria: list[dict]) -> dict[str, list[str]]:
    """Every broken rule of a call's complete values; money values are normalised in place."""
    errors: dict[str, list[str]] = {}
    _text_errors(values, errors)
    _money_errors(values, errors)
    _date_errors(values, errors)
    _number_errors(values, errors)
    _vocabulary_errors(values, errors)
    _criteria_errors(criteria, errors)
    return errors
