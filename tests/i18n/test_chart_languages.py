"""Charts in every language's script: Chinese in a font that has it (no missing glyph: the
suite turns matplotlib's warning into an error), Arabic shaped and right to left."""
from decimal import Decimal

import pytest
from flask_babel import force_locale
from matplotlib.figure import Figure

from unscar.charts import png_bytes
from unscar.funds.charts import donors_chart, donors_frame


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar", "zh", "ru"])
def test_a_chart_is_drawn_in_each_language(app, language):
    with app.test_request_context("/"), force_locale(language):
        picture = donors_chart(donors_frame([("Deutschland 德国 ألمانيا Германия", Decimal("1200000"))]))
    assert picture.startswith(b"\x89PNG")


def test_arabic_chart_text_is_joined_and_in_visual_order(app):
    figure = Figure()
    title = figure.subplots().set_title("تكاليف دعم البرامج")
    with app.test_request_context("/"), force_locale("ar"):
        png_bytes(figure)
    drawn = title.get_text()
    # Presentation forms (the joined shapes) and the words reversed for a left-to-right layout.
    assert any("\ufe70" <= character <= "\ufeff" for character in drawn)
    assert drawn != "تكاليف دعم البرامج"
