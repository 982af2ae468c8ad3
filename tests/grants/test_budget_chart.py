"""The budget vs actual chart is a function of a frame, drawn without Flask, and its version
changes with the figures it draws."""
from decimal import Decimal

from unscar.charts import version_key
from unscar.grants.budget import BudgetRow
from unscar.grants.charts import budget_chart, budget_frame
from unscar.proposals.models import BudgetCategory


def rows(spent: str):
    return [BudgetRow(BudgetCategory.staff, Decimal("6000.00"), Decimal(spent), False),
            BudgetRow(BudgetCategory.travel, Decimal("4000.00"), Decimal("0.00"), False)]


def test_the_chart_is_a_png_of_each_category():
    frame = budget_frame(rows("1500.00"))
    assert list(frame["category"]) == ["1. Staff and other personnel", "5. Travel"]
    assert budget_chart(frame).startswith(b"\x89PNG")


def test_new_spending_makes_a_new_version():
    assert version_key(budget_frame(rows("1500.00"))) != version_key(budget_frame(rows("1500.01")))
