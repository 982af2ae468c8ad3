"""The values a report or a revision takes, checked with the service, never only in a
form or a schema: each refusal is a ValidationFailed whose `errors` name the field by its
dotted path (`lines.0.amount_usd`, `indicators.2.indicator`), so the API answers 422 and a
page puts the message beside the field."""
import re
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from ..errors import ValidationFailed
from ..money import MoneyError, parse_money
from ..proposals.models import LONG_TEXT_MAX, SHORT_TEXT_MAX, BudgetCategory
from ..templating import format_long_date
from .models import Grant

TEXT_MAX = LONG_TEXT_MAX
VALUE_MAX = SHORT_TEXT_MAX
MAX_ROWS = 200  # more lines or indicators than any grant has


class Errors(dict):
    """{dotted path: [messages]}, raised at once when anything was added."""

    def add(self, path: str, message: str) -> None:
        self.setdefault(path, []).append(message)

    def raise_any(self) -> None:
        if self:
            raise ValidationFailed(_("Some fields are missing or invalid."), errors=dict(self))


def check_period(grant: Grant, start, end, errors: Errors) -> None:
    """start ≤ end, both inside the grant's start..end; periods ahead of today are allowed."""
    for name, value in (("period_start", start), ("period_end", end)):
        if not isinstance(value, date):
            errors.add(name, _("Give a date (YYYY-MM-DD)."))
        elif grant.start_date and grant.end_date and not grant.start_date <= value <= grant.end_date:
            errors.add(name, _("The period must lie inside the grant, %(start)s to %(end)s.",
                               start=format_long_date(grant.start_date), end=format_long_date(grant.end_date)))
    if isinstance(start, date) and isinstance(end, date) and start > end:
        errors.add("period_end", _("The period cannot end before it starts."))


def category_of(value) -> BudgetCategory | None:
    try:
        return BudgetCategory(value)
    except ValueError:
        return None


def amount_of(value, path: str, errors: Errors) -> Decimal | None:
    try:
        return parse_money(value)
    except MoneyError as error:
        errors.add(path, str(error))
        return None


def rows_of(rows, name: str, errors: Errors) -> list:
    if not isinstance(rows, (list, tuple)):
        errors.add(name, _("Give a list."))
        return []
    if len(rows) > MAX_ROWS:
        errors.add(name, _("At most %(max)d rows.", max=MAX_ROWS))
        return []
    return list(rows)


def check_expenditure(budget: dict, lines, errors: Errors) -> dict[BudgetCategory, Decimal]:
    """[{category, amount_usd}] → {category: amount}: each category once and in `budget`
    (the grant's current budget), each amount ≥ 0 with at most two decimals."""
    rows = rows_of(lines, "lines", errors)
    if not rows and "lines" not in errors:
        errors.add("lines", _("Give the expenditure of at least one budget category."))
    spent: dict[BudgetCategory, Decimal] = {}
    for i, row in enumerate(rows):
        if not isinstance(row, dict):
            errors.add(f"lines.{i}", _("Give a category and an amount."))
            continue
        category = category_of(row.get("category"))
        if category is None or category not in budget:
            errors.add(f"lines.{i}.category", _("Not a category of this grant's budget."))
        elif category in spent:
            errors.add(f"lines.{i}.category", _("Give each category once."))
        amount = amount_of(row.get("amount_usd"), f"lines.{i}.amount_usd", errors)
        if category in budget and category not in spent and amount is not None:
            spent[category] = amount
    return spent


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def framework_indicators(results) -> list[str]:
    """The indicators of a results framework, in its order, each once."""
    found: list[str] = []
    for outcome in results or []:
        for output in outcome.get("outputs") or []:
            for row in output.get("indicators") or []:
                text = (row.get("indicator") or "").strip()
                if text and text not in found:
                    found.append(text)
    return found


def check_indicators(known: list[str], indicators, errors: Errors) -> list[tuple[str, str]]:
    """[{indicator, value}] → [(the framework's text, value)]: each matched by its text
    (ignoring case and spacing) to an indicator of the results framework, once; a report
    need not list every indicator."""
    by_text = {_normal(text): text for text in known}
    progress: list[tuple[str, str]] = []
    for i, row in enumerate(rows_of(indicators, "indicators", errors)):
        if not isinstance(row, dict):
            errors.add(f"indicators.{i}", _("Give an indicator and a value."))
            continue
        text, value = row.get("indicator"), row.get("value")
        match = by_text.get(_normal(text)) if isinstance(text, str) else None
        if match is None:
            errors.add(f"indicators.{i}.indicator", _("Not an indicator of the proposal's results framework."))
        elif any(match == seen for seen, _value in progress):
            errors.add(f"indicators.{i}.indicator", _("Give each indicator once."))
        if not isinstance(value, str) or not value.strip():
            errors.add(f"indicators.{i}.value", _("Give the progress on this indicator."))
        elif len(value) > VALUE_MAX:
            errors.add(f"indicators.{i}.value", _("At most %(max)d characters.", max=VALUE_MAX))
        elif match is not None and all(match != seen for seen, _value in progress):
            progress.append((match, value.strip()))
    return progress


def check_text(value, name: str, errors: Errors, required: bool = True, max_length: int = TEXT_MAX) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            errors.add(name, _("This field is required."))
        return ""
    if not isinstance(value, str):
        errors.add(name, _("Give text."))
        return ""
    if len(value) > max_length:
        errors.add(name, _("At most %(max)d characters.", max=max_length))
    return value.strip()
