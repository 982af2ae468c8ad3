"""Charts in every language's script: Chinese in a font that has it (no missing glyph: the
suite turns matplotlib's warning into an error), Arabic joined and right to left and the
chart mirrored, axis numbers as the reader writes them."""
import re
from decimal import Decimal

import pytest
from flask_babel import force_locale
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from unscar.charts import png_bytes
from unscar.funds import charts as funds_charts
from unscar.funds.charts import donors_chart, donors_frame


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "zh", "ru"])
def test_a_chart_is_drawn_in_each_language(app, language):
    with app.test_request_context("/"), force_locale(language):
        picture = donors_chart(donors_frame([("Deutschland 德国 ألمانيا Германия", Decimal("1200000"))]))
    assert picture.startswith(b"\x89PNG")


def test_arabic_text_reaches_matplotlib_as_written_and_is_drawn_joined(app):
    figure = Figure()
    title = figure.subplots().set_title("تكاليف دعم البرامج")
    with app.test_request_context("/"), force_locale("ar"):
        png_bytes(figure)
    # Not shaped twice: matplotlib joins the letters and orders them itself.
    assert title.get_text() == "تكاليف دعم البرامج"
    renderer = FigureCanvasAgg(figure).get_renderer()
    font = FontProperties(family="DejaVu Sans", size=20)

    def width(text):
        return renderer.get_text_width_height_descent(text, font, ismath=False)[0]

    # Joined, four beh are half as wide as four alone; lam and alef make one narrower ligature.
    assert width("بببب") < 0.75 * 4 * width("ب")
    assert width("لا") < width("ل") + width("ا")


def drawn_ticks(app, language, draw):
    """The tick labels of a figure `draw(axes)` makes, as png_bytes draws them in `language`."""
    figure = Figure()
    axes = figure.subplots()
    draw(axes)
    with app.test_request_context("/"), force_locale(language):
        png_bytes(figure)
        # Read inside: matplotlib writes the labels again, in the request's language, when they are read.
        return axes, [t.get_text() for t in axes.get_xticklabels()], [t.get_text() for t in axes.get_yticklabels()]


def test_axis_numbers_are_written_as_the_reader_writes_them(app):
    def draw(axes):
        axes.barh(["a", "b"], [2500, 1250.5])

    _, english, _ = drawn_ticks(app, "en", draw)
    _, french, _ = drawn_ticks(app, "fr", draw)
    assert "2,500" in english and "2\N{NARROW NO-BREAK SPACE}500" in french


def test_an_arabic_chart_is_mirrored(app):
    def draw(axes):
        axes.barh(["ألمانيا", "السويد"], [3, 2])

    axes, _, names = drawn_ticks(app, "ar", draw)
    assert names == ["ألمانيا", "السويد"]
    # Values grow from the right, and the names stand on the right, where an Arabic reader starts.
    assert axes.xaxis_inverted() and axes.yaxis.get_label_position() == "right"
    assert axes.yaxis.get_ticks_position() == "right"

    english_axes, _, _ = drawn_ticks(app, "en", lambda axes: axes.barh(["Germany"], [3]))
    assert not english_axes.xaxis_inverted() and english_axes.yaxis.get_label_position() == "left"


def test_the_funds_chart_writes_years_as_years_in_every_language(app, monkeypatch):
    drawn = {}

    def drawing(figure, **savefig):
        picture = png_bytes(figure, **savefig)
        drawn["years"] = [t.get_text() for t in figure.axes[0].get_xticklabels()]
        return picture

    monkeypatch.setattr(funds_charts, "png_bytes", drawing)
    rows = [{"year": year, "received": Decimal("1000000"), "committed": Decimal("500000"),
             "disbursed": Decimal("250000")} for year in (2022, 2023, 2024, 2025)]
    for language in ("en", "fr"):
        with app.test_request_context("/"), force_locale(language):
            funds_charts.flows_chart(funds_charts.flows_frame(rows))
            shown = [year for year in drawn["years"] if year]
        assert shown and all(re.fullmatch(r"20\d\d", year) for year in shown), shown
