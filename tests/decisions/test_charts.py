"""The score chart is a real PNG drawn from a frame, without Flask."""
import io

from PIL import Image

from unscar.decisions.charts import review_scores_frame, scores_chart
from unscar.decisions.ranking import CalibratedScore
from decimal import Decimal


def test_the_chart_draws_every_proposal():
    scores = [CalibratedScore(1, 10, Decimal("4.6"), Decimal("4.2")), CalibratedScore(1, 11, Decimal("3.8"), Decimal("4.0")),
              CalibratedScore(2, 10, Decimal("2.2"), Decimal("2.9"))]
    frame = review_scores_frame(scores, {1: "UNSCAR-2026-0001", 2: "UNSCAR-2026-0002"})
    assert list(frame["reference"]) == ["UNSCAR-2026-0001", "UNSCAR-2026-0001", "UNSCAR-2026-0002"]
    png = scores_chart(frame, ["UNSCAR-2026-0001", "UNSCAR-2026-0002"], scale_max=5)
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size[0] == 750 and image.size[1] >= 250


def test_an_empty_frame_still_draws():
    frame = review_scores_frame([], {})
    assert scores_chart(frame, [], scale_max=5).startswith(b"\x89PNG")
