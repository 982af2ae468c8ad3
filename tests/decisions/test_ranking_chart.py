"""The ranking chart is drawn once per version of the scores (unscar/charts.py): the same
scores are served from the cache, a changed review draws it again, and a browser holding
the current picture gets 304 without anything drawn."""
import pytest

from tests.factories import make_user
from tests.builders import reviewed_call
from tests.decisions.test_ranking_pages import MARKS, signed_in
from unscar.decisions import charts
from unscar.extensions import db
from unscar.reviews import services
from unscar.reviews.models import Assignment


@pytest.fixture
def scored(app):
    """Three proposals, each reviewed by the same two reviewers."""
    reviewers = [make_user("reviewer") for _ in range(2)]
    call, _proposals, staff = reviewed_call(3, reviewers, 2, marks=lambda r, p: MARKS[r][p])
    return call, staff, reviewers


@pytest.fixture
def drawings(monkeypatch):
    """Every drawing of the ranking chart, counted."""
    drawn = []
    draw = charts.scores_chart

    def counting(frame, order, scale_max):
        drawn.append(order)
        return draw(frame, order, scale_max)

    monkeypatch.setattr(charts, "scores_chart", counting)
    return drawn


def _change_a_review(call, staff, reviewer):
    """The secretariat returns one of the reviewer's reviews; it comes back with new marks."""
    assignment = db.session.scalars(db.select(Assignment).filter_by(call_id=call.id, reviewer_id=reviewer.id)
                                    .order_by(Assignment.id)).first()
    services.return_review(staff, assignment, "Please look again.")
    services.save_review(reviewer, assignment, {c.id: 1 for c in call.criteria}, {}, None, None, submit=True)
    db.session.commit()


def test_the_ranking_chart_is_drawn_once_until_a_review_changes(app, scored, drawings):
    call, staff, reviewers = scored
    url = f"/reviews/calls/{call.id}/ranking.png"
    secretariat, donor = signed_in(app, "secretariat"), signed_in(app, "donor")
    first, second = secretariat.get(url), donor.get(url)
    assert first.status_code == second.status_code == 200
    assert first.data == second.data and first.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(drawings) == 1

    _change_a_review(call, staff, reviewers[0])
    changed = secretariat.get(url)
    assert changed.status_code == 200 and changed.data != first.data and len(drawings) == 2
    assert donor.get(url).data == changed.data and len(drawings) == 2


def test_a_browser_holding_the_chart_revalidates_and_gets_304(app, scored, drawings):
    call, staff, reviewers = scored
    url = f"/reviews/calls/{call.id}/ranking.png"
    client = signed_in(app, "donor")
    response = client.get(url)
    etag = response.headers["ETag"]
    assert response.mimetype == "image/png" and etag.startswith('"ranking-scores-2.')
    # Signed in, nothing is stored by the browser (unscar/security.py); the server's cache
    # still draws it once, and a conditional request is still answered with 304.
    assert response.headers["Cache-Control"] == "no-store"

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    assert len(drawings) == 1

    _change_a_review(call, staff, reviewers[0])
    fresh = client.get(url, headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag and len(drawings) == 2


def test_no_304_before_the_role_is_checked(app, scored):
    call = scored[0]
    url = f"/reviews/calls/{call.id}/ranking.png"
    etag = signed_in(app, "donor").get(url).headers["ETag"]
    assert signed_in(app, "reviewer").get(url, headers={"If-None-Match": etag}).status_code == 403


def test_the_page_points_screen_readers_from_the_chart_to_its_numbers(app, scored):
    call = scored[0]
    html = signed_in(app, "secretariat").get(f"/reviews/calls/{call.id}/ranking").get_data(as_text=True)
    assert 'data-testid="scores-chart"' in html and 'data-testid="review-scores"' in html
    assert "spread of the raw scores. Each review's figures are in the table below" in html
    html = signed_in(app, "donor").get(f"/reviews/calls/{call.id}/ranking").get_data(as_text=True)
    assert "spread of the raw scores. Each proposal's mean and spread are in the ranking above." in html
