"""Charts of a call's scores, as PNG bytes (matplotlib's Figure, never pyplot: pyplot keeps
global state that leaks memory in a server). Labels are in the current request's language
(English outside one)."""

import matplotlib
from flask_babel import gettext as _

matplotlib.use("Agg")  # no display on a server; set before anything draws

import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from ..charts import axis_end, png_bytes  # noqa: E402


def review_scores_frame(scores, references: dict) -> pd.DataFrame:
    """One row per review: reference, raw weighted score w and calibrated score c."""
    return pd.DataFrame([{"reference": references[s.proposal_id], "weighted": float(s.weighted),
                          "calibrated": float(s.calibrated)} for s in scores],
                        columns=["reference", "weighted", "calibrated"])


def scores_chart(frame: pd.DataFrame, order: list[str], scale_max: int) -> bytes:
    """Each proposal's reviews (raw dots, calibrated crosses) with the spread of the raw
    scores as a bar, proposals in ranking order, best on top."""
    height = max(2.5, 0.45 * len(order) + 1)
    figure = Figure(figsize=(7.5, height), dpi=100)
    axes = figure.subplots()
    positions = {reference: len(order) - i for i, reference in enumerate(order)}
    raw, calibrated = _("raw score"), _("calibrated score")
    for reference, group in frame.groupby("reference"):
        y = positions.get(reference)
        if y is None:
            continue
        axes.hlines(y, group["weighted"].min(), group["weighted"].max(), color="#9bb7d4", linewidth=6)
        axes.scatter(group["weighted"], [y] * len(group), color="#1d4f76", zorder=3, label=raw)
        axes.scatter(group["calibrated"], [y] * len(group), marker="x", color="#c0392b", zorder=4,
                     label=calibrated)
    axes.set_yticks(list(positions.values()), list(positions.keys()))
    axes.set_xlim(1, scale_max)
    axes.set_xlabel(_("weighted score (1 to %(max)s)", max=scale_max))
    axes.grid(axis="x", alpha=0.3)
    handles, labels = axes.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    if unique:
        axes.legend(unique.values(), unique.keys(), loc=f"lower {axis_end()}", fontsize="small")
    figure.set_layout_engine("tight")  # laid out when drawn: after png_bytes mirrors an Arabic chart
    return png_bytes(figure)
