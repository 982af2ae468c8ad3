"""The portfolio's charts as PNG bytes (matplotlib's Figure, never pyplot): functions of a
DataFrame, testable without Flask; the kernel's chart cache serves them. Floats only for
drawing: the figures themselves stay Decimal. The words are in the request's language
(plain English without one); the chart cache keys on the language (unscar/charts.py)."""

import matplotlib
from flask_babel import gettext as _, pgettext

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ..charts import png_bytes  # noqa: E402


def breakdown_frame(entries: list[dict], labels: dict | None = None) -> pd.DataFrame:
    """One row per key of a by_* breakdown: its label, projects and USD approved."""
    return pd.DataFrame([{"key": str((labels or {}).get(e["key"], e["key"])), "projects": e["projects"],
                          "approved": float(e["approved_usd"])} for e in entries],
                        columns=["key", "projects", "approved"])


def years_frame(entries: list[dict]) -> pd.DataFrame:
    """One row per year of figures.by_year: projects and USD approved, disbursed and spent."""
    return pd.DataFrame([{"key": str(e["key"]), "projects": e["projects"], "approved": float(e["approved_usd"]),
                          "disbursed": float(e["disbursed_usd"]), "spent": float(e["spent_usd"])} for e in entries],
                        columns=["key", "projects", "approved", "disbursed", "spent"])


def _png(figure: Figure) -> bytes:
    return png_bytes(figure, bbox_inches="tight")


def years_chart(frame: pd.DataFrame, title: str) -> bytes:
    """USD approved, disbursed and spent per year (grouped bars, in millions), with the
    number of projects above each year's approved bar."""
    figure = Figure(figsize=(7.5, 3.4), dpi=100)
    axes = figure.subplots()
    positions = range(len(frame))
    width = 0.28
    series = (("approved", pgettext("amount", "approved"), "#1d4f76"), ("disbursed", _("disbursed"), "#3b7a57"),
              ("spent", _("spent"), "#b5651d"))
    for offset, (column, label, colour) in zip((-width, 0, width), series):
        bars = axes.bar([p + offset for p in positions], frame[column] / 1e6, width, color=colour, label=label)
        if column == "approved":
            axes.bar_label(bars, labels=[str(n) for n in frame["projects"]], padding=2, fontsize=7)
    axes.set_xticks(list(positions), frame["key"], rotation=45)
    axes.set_ylabel(_("USD million"))
    axes.set_title(title)
    axes.legend(fontsize=8, frameon=False)
    return _png(figure)


def breakdown_chart(frame: pd.DataFrame, title: str) -> bytes:
    """USD approved per key, in millions, largest on top."""
    figure = Figure(figsize=(7, max(2.0, 0.45 * len(frame) + 1)), dpi=100)
    axes = figure.subplots()
    ordered = frame.sort_values("approved")
    axes.barh(ordered["key"], ordered["approved"] / 1e6, color="#3b7a57")
    axes.set_xlabel(_("USD million approved"))
    axes.set_title(title)
    return _png(figure)
