"""The ranking and recommendation pages: who sees them, the figures they show (the API's),
what donors never see, computing, explaining and adopting a recommendation, and the
ranking page's query count."""
import re
from decimal import Decimal

import pytest

from tests.builders import reviewed_call
from tests.factories import CallFactory, make_user
from tests.helpers import bearer, post_form, web_login
from unscar.calls.models import CallStatus
from unscar.extensions import db
from unscar.proposals.models import ProposalStatus

SECRET_COMMENT = "Quixotic-marmalade overall remark"
CRITERION_COMMENT = "Zanzibar-teapot criterion note"
REVIEWER_NAMES = ("Ottoline Featherstonehaugh", "Barnabas Quillfeather")
# Per reviewer, per proposal: (Impact, Value for money). One lenient reviewer, one severe,
# three reviews each, so calibration moves the scores (c differs from w).
MARKS = ({0: (5, 5), 1: (4, 4), 2: (5, 4)}, {0: (3, 2), 1: (2, 2), 2: (4, 3)})


@pytest.fixture
def scored(app):
    """Three proposals asking USD 93,321.00 each; the two reviewers review all three."""
    reviewers = [make_user("reviewer", name=name) for name in REVIEWER_NAMES]
    call, proposals, staff = reviewed_call(3, reviewers, 2, marks=lambda r, p: MARKS[r][p], comment=SECRET_COMMENT,
                                           criterion_comment=CRITERION_COMMENT, envelope_usd=Decimal("200000.00"))
    return call, proposals, staff, reviewers


def signed_in(app, role):
    client = app.test_client()
    if role != "anonymous":
        assert web_login(client, make_user(role).email).status_code == 302
    return client


@pytest.mark.parametrize("role, expected", [
    ("secretariat", 200), ("admin", 200), ("donor", 200), ("reviewer", 403), ("applicant", 403), ("anonymous", 302)])
@pytest.mark.parametrize("path", ["ranking", "ranking.png", "recommendation"])
def test_who_opens_the_ranking_pages(app, scored, role, expected, path):
    call = scored[0]
    response = signed_in(app, role).get(f"/reviews/calls/{call.id}/{path}")
    assert response.status_code == expected
    if role == "anonymous":
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role, expected", [("admin", 403), ("donor", 403), ("reviewer", 403), ("anonymous", 302)])
def test_only_the_secretariat_computes_and_adopts(app, scored, role, expected):
    call = scored[0]
    client = signed_in(app, role)
    token = client.get("/").get_data(as_text=True)  # any page carrying a CSRF token
    match = re.search(r'name="csrf-token" content="([^"]+)"', token)
    data = {"csrf_token": match.group(1), "envelope_usd": "200000", "objective": "normalised_score"}
    assert client.post(f"/reviews/calls/{call.id}/recommendation", data=data).status_code == expected
    assert client.post(f"/reviews/calls/{call.id}/recommendation/1/adopt", data=data).status_code == expected


def test_a_donor_sees_no_ranking_before_the_call_is_in_review(app):
    call = CallFactory(status=CallStatus.closed)
    donor, staff = signed_in(app, "donor"), signed_in(app, "secretariat")
    assert donor.get(f"/reviews/calls/{call.id}/ranking").status_code == 404
    assert "Ranking" not in donor.get(f"/calls/{call.id}").get_data(as_text=True)
    assert staff.get(f"/reviews/calls/{call.id}/ranking").status_code == 200


def _cell(html, reference, testid):
    row = re.search(rf'data-testid="ranking-{reference}">(.*?)</tr>', html, re.S).group(1)
    return Decimal(re.search(rf'data-testid="{testid}">([^<]+)<', row).group(1))


def test_the_table_shows_raw_and_calibrated_scores_as_the_api_does(app, client, scored):
    call, proposals, _staff, _reviewers = scored
    api = client.get(f"/api/v1/calls/{call.id}/ranking", headers=bearer(client, make_user("donor"))).get_json()
    html = signed_in(app, "donor").get(f"/reviews/calls/{call.id}/ranking").get_data(as_text=True)
    assert any(i["weighted_mean"] != i["normalised_score"] for i in api["items"])  # calibration moved them
    for item in api["items"]:
        assert _cell(html, item["reference"], "weighted") == Decimal(str(item["weighted_mean"]))
        assert _cell(html, item["reference"], "normalised") == Decimal(str(item["normalised_score"]))
        assert _cell(html, item["reference"], "spread") == Decimal(str(item["spread"]))
    order = re.findall(r'data-testid="ranking-([^"]+)"', html)
    assert order == [i["reference"] for i in api["items"]]  # best first
    assert 'data-testid="flagged"' in html  # the lenient and the severe reviewer disagree
    assert f'src="/reviews/calls/{call.id}/ranking.png"' in html


def test_the_table_sorts_by_a_column(app, scored):
    call, proposals, _staff, _reviewers = scored
    client = signed_in(app, "secretariat")
    html = client.get(f"/reviews/calls/{call.id}/ranking?sort=reference&dir=desc").get_data(as_text=True)
    order = re.findall(r'data-testid="ranking-([^"]+)"', html)
    assert order == sorted((p.reference for p in proposals), reverse=True)
    assert 'aria-sort="descending"' in html
    assert client.get(f"/reviews/calls/{call.id}/ranking?sort=nonsense").status_code == 200


def test_donors_never_see_reviewers_or_review_texts(app, scored):
    call, _proposals, _staff, reviewers = scored
    client = signed_in(app, "donor")
    for path in ("ranking", "recommendation"):
        html = client.get(f"/reviews/calls/{call.id}/{path}").get_data(as_text=True)
        for text in (SECRET_COMMENT, CRITERION_COMMENT, *REVIEWER_NAMES, *(r.email for r in reviewers)):
            assert text not in html
        assert "Review 1" not in html  # each review's own figures are for staff


def test_the_secretariat_sees_each_review_numbered_without_names(app, scored):
    call, _proposals, _staff, reviewers = scored
    html = signed_in(app, "secretariat").get(f"/reviews/calls/{call.id}/ranking").get_data(as_text=True)
    table = re.search(r'data-testid="review-scores">(.*?)</table>', html, re.S).group(1)
    assert table.count("Review 1") == 3 and table.count("Review 2") == 3
    for text in (SECRET_COMMENT, *REVIEWER_NAMES, *(r.email for r in reviewers)):
        assert text not in html


def test_the_chart_is_a_png_that_no_browser_stores(app, scored):
    response = signed_in(app, "donor").get(f"/reviews/calls/{scored[0].id}/ranking.png")
    assert response.data.startswith(b"\x89PNG\r\n\x1a\n")
    assert response.mimetype == "image/png" and response.headers["Cache-Control"] == "no-store"


def _compute(client, call, **fields):
    data = {"envelope_usd": "200000.00", "objective": "normalised_score", "min_score": "", **fields}
    return post_form(client, f"/reviews/calls/{call.id}/recommendation", data)


def test_the_secretariat_computes_and_adopts_a_recommendation(app, scored):
    call, proposals, _staff, _reviewers = scored
    client = signed_in(app, "secretariat")
    assert 'data-testid="no-recommendation"' in client.get(f"/reviews/calls/{call.id}/recommendation").get_data(
        as_text=True)
    response = _compute(client, call)
    assert response.status_code == 302
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    # Each asks 93,321.00: the envelope of 200,000.00 fits the two best.
    assert "Selected 2 of 3 proposals" in html and "The cap of USD 200,000.00" in html
    left_out = re.search(r'data-testid="left-out">(.*?)</table>', html, re.S).group(1)
    worst = proposals[1].reference
    assert worst in left_out and "Adding it would exceed the cap by USD" in left_out
    assert all(p.status == ProposalStatus.under_review for p in proposals)
    assert 'data-testid="adopt-form"' in html

    adopt = re.search(r'action="(/reviews/calls/\d+/recommendation/\d+/adopt)"', html).group(1)
    response = post_form(client, adopt, {}, page=f"/reviews/calls/{call.id}/recommendation", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "The recommendation is adopted: 2 proposals recommended, 1 not recommended." in html
    assert "Adopted on" in html and "by the secretariat" in html
    assert 'data-testid="adopt-form"' not in html
    db.session.expire_all()
    assert [p.status for p in proposals] == [ProposalStatus.recommended, ProposalStatus.not_recommended,
                                             ProposalStatus.recommended]
    left_out = re.search(r'data-testid="left-out">(.*?)</table>', html, re.S).group(1)
    assert "Not recommended" in left_out
    donor_html = signed_in(app, "donor").get(f"/reviews/calls/{call.id}/recommendation").get_data(as_text=True)
    assert "Adopted on" in donor_html and 'data-testid="recommendation-form"' not in donor_html
    assert 'data-testid="adopt-form"' not in donor_html


def test_a_french_donor_reads_the_explanation_in_french(app, scored):
    call = scored[0]
    _compute(signed_in(app, "secretariat"), call)  # computed by an English reader
    donor = make_user("donor", language="fr")
    client = app.test_client()
    web_login(client, donor.email)
    html = client.get(f"/reviews/calls/{call.id}/recommendation").get_data(as_text=True)
    summary = re.search(r'data-testid="explanation">(.*?)</p>', html, re.S).group(1)
    assert summary.startswith("Propositions sélectionnées") and "Selected" not in summary


def test_the_adopt_button_is_hidden_once_the_call_left_review(app, scored):
    call, _proposals, _staff, _reviewers = scored
    client = signed_in(app, "secretariat")
    _compute(client, call)
    call.status = CallStatus.decided
    db.session.commit()
    html = client.get(f"/reviews/calls/{call.id}/recommendation").get_data(as_text=True)
    assert 'data-testid="explanation"' in html and 'data-testid="adopt-form"' not in html


@pytest.mark.parametrize("fields, message", [
    ({"shares-0-key": "region:Africa", "shares-0-percent": "150"}, "A share is a percentage above 0 and at most 100."),
    ({"shares-0-key": "region:Africa"}, "Give the share for this region or theme."),
    ({"shares-0-percent": "20"}, "Choose a region or theme for this share."),
    ({"shares-0-key": "theme:legislation", "shares-0-percent": "10", "shares-1-key": "theme:legislation",
      "shares-1-percent": "20"}, "Give each region or theme once."),
    ({"shares-0-key": "region:Atlantis", "shares-0-percent": "20"}, "Not a valid choice"),
    ({"shares-0-key": "region:Europe", "shares-0-percent": "50"}, "Only an empty selection meets min_share.region:Europe"),
    ({"min_score": "4.99"}, "Only an empty selection meets min_score"),
    ({"min_score": "7"}, "The minimum score 7 is outside this call&#39;s scale of 1 to 5: give a number from 1 to 5"),
    ({"envelope_usd": "-5"}, "The amount may not be negative."),
])
def test_a_bad_recommendation_request_shows_a_clear_error(app, scored, fields, message):
    call = scored[0]
    response = _compute(signed_in(app, "secretariat"), call, **fields)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)


def _ranking_statements(app, count_statements, count: int) -> int:
    """Statements of one GET of the ranking page (with each review's figures) for `count` proposals."""
    reviewers = [make_user("reviewer") for _ in range(4)]
    call, _proposals, _staff = reviewed_call(count, reviewers, 1, marks=lambda r, p: (1 + (r + p) % 5, 1 + p % 5))
    client = signed_in(app, "secretariat")
    with count_statements() as statements:
        response = client.get(f"/reviews/calls/{call.id}/ranking")
    assert response.status_code == 200 and response.get_data(as_text=True).count('data-testid="ranking-') == count
    return len(statements)


def test_the_ranking_page_runs_as_many_queries_for_40_proposals_as_for_3(app, count_statements):
    assert _ranking_statements(app, count_statements, 3) == _ranking_statements(app, count_statements, 40)


def test_the_call_page_and_home_link_donors_to_the_ranking(app, scored):
    call = scored[0]
    donor = signed_in(app, "donor")
    links = re.search(r'data-testid="review-links">(.*?)</p>', donor.get(f"/calls/{call.id}").get_data(as_text=True),
                      re.S).group(1)
    assert f"/reviews/calls/{call.id}/ranking" in links and f"/reviews/calls/{call.id}/recommendation" in links
    assert "Review panel" not in links
    assert "/calls/?status=in_review" in donor.get("/").get_data(as_text=True)
    staff_links = signed_in(app, "secretariat").get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Review panel" in staff_links and f"/reviews/calls/{call.id}/ranking" in staff_links


def test_a_cap_set_by_the_funds_balance_is_named_as_such(app):
    """The stored parameters are the API's amounts ("200000.00"), the page's cap is grouped."""
    from unscar.decisions.views import binding_in_words

    by_fund = binding_in_words("cap", {"envelope_usd": "250000.00", "available_usd": "200000.00"}, "200,000.00")
    by_envelope = binding_in_words("cap", {"envelope_usd": "200000.00", "available_usd": "900000.00"}, "200,000.00")
    assert by_fund.startswith("The cap of USD 200,000.00 (the fund's available balance)")
    assert by_envelope.startswith("The cap of USD 200,000.00 (the envelope)")
