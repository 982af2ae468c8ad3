"""A grant's budget vs actual as a PNG bar chart (matplotlib's Figure, never pyplot): a
function of a DataFrame, testable without Flask (its words then in English); the kernel's
chart cache serves it."""

import matplotlib
from flask_babel import gettext as _

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ..charts import axis_end, png_bytes  # noqa: E402
from ..vocabulary import BUDGET_CATEGORY_LABELS  # noqa: E402


def budget_frame(rows) -> pd.DataFrame:
    """One row per budget category (BudgetRow, without the total): budget and spent in USD."""
    return pd.DataFrame([{"category": BUDGET_CATEGORY_LABELS[row.category.value], "budget": float(row.budget_usd),
                          "spent": float(row.spent_usd)} for row in rows], columns=["category", "budget", "spent"])


def budget_chart(frame: pd.DataFrame) -> bytes:
    """Budget and spending side by side per category, in USD thousand, categories top down."""
    figure = Figure(figsize=(7, max(2.0, 0.6 * len(frame) + 1)), dpi=100)
    axes = figure.subplots()
    ordered = frame.iloc[::-1].reset_index(drop=True)
    positions = range(len(ordered))
    axes.barh([p + 0.2 for p in positions], ordered["budget"] / 1e3, height=0.4, color="#1d4f76", label=_("Budget"))
    axes.barh([p - 0.2 for p in positions], ordered["spent"] / 1e3, height=0.4, color="#c8702a", label=_("Spent"))
    axes.set_yticks(list(positions), ordered["category"])
    axes.set_xlabel(_("USD thousand"))
    axes.set_title(_("Budget vs actual, by category"))
    axes.legend(loc=f"lower {axis_end()}", frameon=False)  # past the ends of the shortest bars
    return png_bytes(figure, bbox_inches="tight")
