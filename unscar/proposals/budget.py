"""Budget arithmetic: each line's amount, subtotals per category and year, the totals.

Amounts are quantity × unit cost in Decimal, rounded half-up to cents, computed here on
the server whatever a client sends. Indirect support costs are lines of category
`indirect`; their cap (a percentage of the direct costs, a setting of the call) is
checked by checks.py and reported as a problem, never silently corrected.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

from ..errors import ValidationFailed
from ..money import MAX_AMOUNT, round_cents
from .models import BudgetCategory, BudgetLine

ZERO = Decimal("0.00")


def line_amount(quantity: Decimal, unit_cost: Decimal) -> Decimal:
    return round_cents(Decimal(quantity) * Decimal(unit_cost))


@dataclass
class BudgetSummary:
    direct_usd: Decimal = ZERO
    indirect_usd: Decimal = ZERO
    by_category: dict[str, Decimal] = field(default_factory=dict)
    by_year: dict[int, Decimal] = field(default_factory=dict)
    by_category_year: dict[tuple[str, int], Decimal] = field(default_factory=dict)

    @property
    def total_usd(self) -> Decimal:
        return self.direct_usd + self.indirect_usd

    def indirect_pct_of_direct(self) -> Decimal | None:
        if self.direct_usd == 0:
            return None
        return (self.indirect_usd * 100 / self.direct_usd).quantize(Decimal("0.01"))


def summarise(lines: list[BudgetLine]) -> BudgetSummary:
    by_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
    by_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    by_category_year: dict[tuple[str, int], Decimal] = defaultdict(lambda: ZERO)
    summary = BudgetSummary()
    for line in lines:
        category = BudgetCategory(line.category).value
        by_category[category] += line.amount_usd
        by_year[line.year] += line.amount_usd
        by_category_year[(category, line.year)] += line.amount_usd
        if category == BudgetCategory.indirect.value:
            summary.indirect_usd += line.amount_usd
        else:
            summary.direct_usd += line.amount_usd
    order = [c.value for c in BudgetCategory]
    summary.by_category = {c: by_category[c] for c in order if c in by_category}
    summary.by_year = dict(sorted(by_year.items()))
    summary.by_category_year = dict(sorted(by_category_year.items(), key=lambda kv: (order.index(kv[0][0]), kv[0][1])))
    return summary


def check_amounts(rows: list[dict]) -> None:
    """Each line's amount and the budget's total within what an amount may be (API.md's
    999,999,999.99, well inside NUMERIC(14, 2)): quantity × unit cost can be far larger."""
    errors = {}
    total = ZERO
    for index, row in enumerate(rows):
        amount = line_amount(row["quantity"], row["unit_cost_usd"])
        total += amount
        if amount > MAX_AMOUNT:
            errors[f"lines.{index}.unit_cost_usd"] = [_("Quantity × unit cost may not exceed 999,999,999.99.")]
    if errors:
        raise ValidationFailed(_("A line's amount may not exceed 999,999,999.99."), errors=errors)
    if total > MAX_AMOUNT:
        message = _("The budget's total may not exceed 999,999,999.99.")
        raise ValidationFailed(message, errors={"lines": [message]})


def build_lines(rows: list[dict]) -> list[BudgetLine]:
    """New BudgetLine objects from validated rows (category, description, unit, quantity,
    unit_cost_usd, year), numbered in the order given."""
    return [
        BudgetLine(position=position, category=BudgetCategory(row["category"]),
                   description=row["description"], unit=row["unit"], quantity=row["quantity"],
                   unit_cost_usd=row["unit_cost_usd"], year=row["year"],
                   amount_usd=line_amount(row["quantity"], row["unit_cost_usd"]))
        for position, row in enumerate(rows)
    ]
