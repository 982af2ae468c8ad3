"""HTML typed into a call's texts is shown as formatting, never as raw tags; text typed
without HTML keeps its paragraphs (richtext.render_rich_text, the rich_text filter)."""
from decimal import Decimal

from tests.factories import CallFactory
from unscar.calls.models import Criterion
from unscar.richtext import render_rich_text


def test_plain_text_keeps_its_paragraphs_and_line_breaks():
    assert render_rich_text("First line\nsecond line\n\nNext paragraph") == \
        "<p>First line<br>second line</p><p>Next paragraph</p>"
    assert render_rich_text("Costs < results & more") == "<p>Costs &lt; results &amp; more</p>"
    assert render_rich_text("<p>Already <strong>HTML</strong></p>") == "<p>Already <strong>HTML</strong></p>"
    assert render_rich_text('Bold <strong>word</strong><script>x()</script>') == "<p>Bold <strong>word</strong></p>"
    assert render_rich_text(None) == "" and render_rich_text("  ") == ""


def test_a_calls_texts_and_guidance_show_formatting_not_tags(client):
    call = CallFactory(description="Projects that help States.\n\nSecond paragraph.", criteria=[
        Criterion(position=0, name="Impact", guidance="What <strong>changes</strong> for people.", weight=Decimal(100))])
    page = client.get(f"/calls/{call.id}").get_data(as_text=True)
    assert "&lt;strong&gt;" not in page
    assert "What <strong>changes</strong> for people." in page
    assert "<p>Projects that help States.</p><p>Second paragraph.</p>" in page
