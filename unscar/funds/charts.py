"""The fund's charts as PNG bytes (matplotlib's Figure, never pyplot): functions of a
DataFrame, testable without Flask (their words then in English); the kernel's chart cache
serves them."""

import matplotlib
from flask_babel import gettext as _

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from ..charts import axis_start, png_bytes  # noqa: E402


def donors_frame(rows) -> pd.DataFrame:
    return pd.DataFrame([{"donor": name, "received": float(amount)} for name, amount in rows],
                        columns=["donor", "received"])


def flows_frame(rows) -> pd.DataFrame:
    return pd.DataFrame([{k: (float(v) if k != "year" else v) for k, v in row.items()} for row in rows],
                        columns=["year", "received", "committed", "disbursed"])


def _png(figure: Figure) -> bytes:
    return png_bytes(figure, bbox_inches="tight")


def donors_chart(frame: pd.DataFrame) -> bytes:
    """Money received from each donor, in USD million, largest on top."""
    figure = Figure(figsize=(7, max(2.0, 0.5 * len(frame) + 1)), dpi=100)
    axes = figure.subplots()
    ordered = frame.iloc[::-1]
    axes.barh(ordered["donor"], ordered["received"] / 1e6, color="#1d4f76")
    axes.set_xlabel(_("Received (USD million)"))
    axes.set_title(_("Contributions received, by donor"))
    return _png(figure)


def flows_chart(frame: pd.DataFrame) -> bytes:
    """Received, committed and disbursed per year, in USD million."""
    figure = Figure(figsize=(7.5, 3.2), dpi=100)
    axes = figure.subplots()
    for column, style, label in (("received", "-o", _("Received")), ("committed", "-s", _("Committed")),
                                 ("disbursed", "-^", _("Disbursed"))):
        axes.plot(frame["year"], frame[column] / 1e6, style, label=label)
    # Whole years, written as years ("2025", never "2,024.5"): not the numbers png_bytes localises.
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(lambda year, _pos: f"{year:.0f}"))
    axes.set_ylabel(_("USD million"))
    axes.set_title(_("The fund over time"))
    axes.legend(loc=f"upper {axis_start()}", frameon=False)  # beside the first years, the smallest sums
    return _png(figure)
