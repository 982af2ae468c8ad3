"""Hostile values at the edge (issue 11, findings 10 and 11): ids beyond 2^63 − 1, huge
or exotic numbers, NUL and lone surrogates, deep nesting. Each is refused with a 4xx (a
problem+json on the API, a 404 or a form error on pages), never a 500, and nothing that
PostgreSQL could not store reaches the database."""
import pytest

from tests.bodies import call_json
from tests.factories import CallFactory, make_user
from tests.helpers import bearer, post_form, web_login
from tests.bodies import budget_json, proposal_json
from tests.builders import proposals_under_review

HUGE = 2**63  # one past PostgreSQL's BIGINT and SQLite's INTEGER
HUGER = 10**19


def _problem(response, *statuses):
    assert response.status_code in statuses, (response.status_code, response.get_data(as_text=True)[:300])
    assert response.mimetype == "application/problem+json"
    return response.get_json()


@pytest.fixture
def applicant(app):
    return make_user("applicant")


@pytest.fixture
def staff(app):
    return make_user("secretariat")


@pytest.fixture
def call(app):
    return CallFactory()


# --- ids beyond 2^63 − 1 -----------------------------------------------------------------

@pytest.mark.parametrize("path", [f"/calls/{HUGE}", f"/proposals/{HUGE}", f"/calls/{HUGER}/edit",
                                  f"/reviews/assignments/{HUGE}", f"/proposals/attachments/{HUGE}"])
def test_a_page_path_id_beyond_bigint_is_not_found(client, path):
    assert client.get(path).status_code in (302, 404)


@pytest.mark.parametrize("path", [f"/api/v1/calls/{HUGE}", f"/api/v1/proposals/{HUGE}",
                                  f"/api/v1/attachments/{HUGER}"])
def test_an_api_path_id_beyond_bigint_is_not_found(client, path):
    _problem(client.get(path), 401, 404)


def test_full_width_digits_are_not_an_id(client, call):
    assert client.get(f"/api/v1/calls/{chr(0xFF10 + call.id)}").status_code == 404


@pytest.mark.parametrize("query", [f"call_id={HUGE}", "call_id=-1", "call_id=abc", f"page={HUGER}",
                                   "page=0", f"per_page={HUGE}", "page=1e3"])
def test_api_list_arguments_out_of_range_are_422(client, applicant, query):
    headers = bearer(client, applicant)
    body = _problem(client.get(f"/api/v1/proposals?{query}", headers=headers), 422)
    assert body["errors"]


@pytest.mark.parametrize("url", ["/api/v1/calls", "/api/v1/assignments"])
def test_every_api_list_refuses_a_page_beyond_range(client, url):
    headers = bearer(client, make_user("reviewer"))
    _problem(client.get(f"{url}?page={HUGER}", headers=headers), 422)


@pytest.mark.parametrize("role, url", [
    ("secretariat", "/audit/?object_id={huge}"), ("secretariat", "/audit/?page={huge}"),
    ("secretariat", "/calls/?page={huge}"), ("applicant", "/proposals/?page={huge}"),
    ("secretariat", "/outbox/?page={huge}"), ("secretariat", "/screening/?call_id=abc"),
    ("secretariat", "/screening/calls/{call}?page={huge}&q=x"),
])
def test_pages_with_huge_query_numbers_answer_a_page(client, call, role, url):
    web_login(client, make_user(role).email)
    assert client.get(url.format(huge=HUGER, call=call.id)).status_code == 200


def test_a_huge_reviewer_id_in_an_assignment_is_422(client, staff):
    call, (proposal,) = proposals_under_review(1)
    body = _problem(client.post(f"/api/v1/calls/{call.id}/assignments", headers=bearer(client, staff),
                                json={"reviewer_id": HUGE, "proposal_id": proposal.id}), 422)
    assert "reviewer_id" in body["errors"]


def test_a_huge_reviewer_id_on_the_assignment_form_is_refused(client, staff):
    call, (proposal,) = proposals_under_review(1)
    web_login(client, staff.email)
    url = f"/reviews/calls/{call.id}/assignments"
    response = post_form(client, url, {"reviewer_id": str(HUGE), "proposal_id": str(proposal.id)})
    assert response.status_code in (200, 302, 422)


def test_a_stray_call_id_on_the_intake_page_is_ignored(client, staff, call):
    web_login(client, staff.email)
    assert client.get(f"/screening/calls/{call.id}?call_id=abc&q=x").status_code == 200


# --- numbers: huge floats, 1e400, exponents ----------------------------------------------

def _budget(line_overrides: dict) -> dict:
    body = budget_json()
    body["lines"][0].update(line_overrides)
    return body


@pytest.fixture
def draft(client, applicant, call):
    headers = bearer(client, applicant)
    proposal = client.post(f"/api/v1/calls/{call.id}/proposals", json=proposal_json(), headers=headers).get_json()
    return proposal["id"], headers


@pytest.mark.parametrize("line", [
    {"quantity": 1e308}, {"quantity": -1e308}, {"quantity": "1e400"}, {"quantity": "1e2"},
    {"quantity": "1_000"}, {"quantity": "１２"}, {"quantity": "NaN"},
    {"unit_cost_usd": "1e2"}, {"unit_cost_usd": "1_000"}, {"unit_cost_usd": "１０００"},
    {"unit_cost_usd": "١٠٠٠"}, {"unit_cost_usd": "+1000"}, {"unit_cost_usd": 1e308},
    {"unit_cost_usd": "1000.001"}, {"unit_cost_usd": "999999999999.99"},
    {"quantity": 1_000_000, "unit_cost_usd": "999999999.99"},  # a line of 999,999,999,990,000.00
    {"year": HUGE}, {"description": "Coordinator\x00"}, {"unit": "\ud800"},
])
def test_hostile_budget_lines_are_422(client, draft, line):
    proposal_id, headers = draft
    body = _problem(client.put(f"/api/v1/proposals/{proposal_id}/budget", json=_budget(line), headers=headers), 422)
    assert body["errors"]


def test_a_budget_whose_total_exceeds_the_money_limit_is_422(client, draft):
    proposal_id, headers = draft
    line = {"category": "staff", "description": "Staff", "unit": "lump sum", "quantity": 1,
            "unit_cost_usd": "999999999.99", "year": budget_json()["lines"][0]["year"]}
    response = client.put(f"/api/v1/proposals/{proposal_id}/budget", json={"lines": [line, line]}, headers=headers)
    assert "999,999,999.99" in _problem(response, 422)["detail"] + str(response.get_json().get("errors"))


def test_plain_amounts_still_work(client, draft):
    proposal_id, headers = draft
    body = _budget({"quantity": "2.50", "unit_cost_usd": 1000})
    response = client.put(f"/api/v1/proposals/{proposal_id}/budget", json=body, headers=headers)
    assert response.status_code == 200
    assert response.get_json()["lines"][0]["amount_usd"] == "2500.00"


@pytest.mark.parametrize("overrides", [
    {"indirect_cap_pct": 1e308}, {"indirect_cap_pct": "1e400"}, {"indirect_cap_pct": -1e308},
    {"criteria": [{"name": "Impact", "guidance": "", "weight": 1e308}]},
    {"criteria": [{"name": "Impact", "guidance": "", "weight": "1e400"}]},
    {"envelope_usd": "1e6"}, {"envelope_usd": "１０００"}, {"year": HUGE}, {"title": "Call\x00"},
])
def test_hostile_call_values_are_422(client, staff, overrides):
    response = client.post("/api/v1/calls", json=call_json(**overrides), headers=bearer(client, staff))
    assert _problem(response, 422)["errors"]


@pytest.mark.parametrize("min_score", ["1e400", 1e308, "1e2"])
def test_hostile_minimum_scores_are_422(client, staff, min_score):
    call, _ = proposals_under_review(1)
    response = client.post(f"/api/v1/calls/{call.id}/recommendation", json={"min_score": min_score},
                           headers=bearer(client, staff))
    assert "min_score" in _problem(response, 422)["errors"]


# --- JSON: nesting, surrogates, NUL --------------------------------------------------------

DEEP = "[" * 5000 + "]" * 5000


@pytest.mark.parametrize("url", ["/api/v1/tokens", "/api/v1/register", "/api/v1/password-reset"])
def test_deeply_nested_json_is_400(client, url):
    response = client.post(url, data=DEEP, content_type="application/json")
    _problem(response, 400)
    response = client.post(url, data='{"email": ' + "[" * 100 + "]" * 100 + "}", content_type="application/json")
    _problem(response, 400)


@pytest.mark.parametrize("raw", ['{"email": "a\\ud800@example.org", "password": "x"}',
                                 '{"email": "a\\u0000@example.org", "password": "x"}',
                                 '{"\\udfff": 1, "email": "a@example.org", "password": "x"}',
                                 '{"email": "a@example.org", "password": 1e400}'])
def test_unstorable_text_and_infinite_numbers_in_json_are_refused(client, raw):
    _problem(client.post("/api/v1/tokens", data=raw, content_type="application/json"), 400, 422)


def test_nul_in_proposal_text_is_422_and_not_stored(client, applicant, call):
    headers = bearer(client, applicant)
    response = client.post(f"/api/v1/calls/{call.id}/proposals", json=proposal_json(title="Kenya\x00"),
                           headers=headers)
    assert "title" in _problem(response, 422)["errors"]


# --- query strings and forms on pages ------------------------------------------------------

@pytest.mark.parametrize("query", ["status=%00", "q=%00", "status=%ED%A0%80", "object_type=a%00b"])
def test_nul_in_a_query_string_never_reaches_the_database(client, staff, query):
    web_login(client, staff.email)
    for url in (f"/calls/?{query}", f"/audit/?{query}", f"/outbox/?{query}"):
        assert client.get(url).status_code in (200, 400, 422)


@pytest.mark.parametrize("title", ["Kenya\x00", "Ken\x00ya"])
def test_nul_in_a_web_form_is_a_form_error(client, applicant, call, title):
    headers = bearer(client, applicant)
    proposal = client.post(f"/api/v1/calls/{call.id}/proposals", json={"title": "Kenya"}, headers=headers).get_json()
    web_login(client, applicant.email)
    url = f"/proposals/{proposal['id']}/edit/summary"
    response = post_form(client, url, {"title": title})
    assert response.status_code in (200, 422)
    assert "may not contain" in response.get_data(as_text=True)
    assert client.get(f"/api/v1/proposals/{proposal['id']}", headers=headers).get_json()["title"] == "Kenya"


@pytest.mark.parametrize("cost", ["1e2", "1_000", "１０００", "١٠٠٠", "999,999,999,999"])
def test_web_budget_refuses_exotic_amounts(client, applicant, call, cost):
    headers = bearer(client, applicant)
    proposal = client.post(f"/api/v1/calls/{call.id}/proposals", json={"title": "Kenya"}, headers=headers).get_json()
    web_login(client, applicant.email)
    url = f"/proposals/{proposal['id']}/budget"
    line = budget_json()["lines"][0]
    data = {f"lines-0-{k}": v for k, v in {**line, "unit_cost_usd": cost}.items()}
    response = post_form(client, url, data)
    assert response.status_code in (200, 422)
    assert client.get(f"/api/v1/proposals/{proposal['id']}", headers=headers).get_json()["budget"]["lines"] == []


@pytest.mark.parametrize("quantity", ["1e2", "1_000", "１２", "1e400"])
def test_web_budget_refuses_exotic_quantities(client, applicant, call, quantity):
    headers = bearer(client, applicant)
    proposal = client.post(f"/api/v1/calls/{call.id}/proposals", json={"title": "Kenya"}, headers=headers).get_json()
    web_login(client, applicant.email)
    line = budget_json()["lines"][0]
    data = {f"lines-0-{k}": v for k, v in {**line, "quantity": quantity}.items()}
    response = post_form(client, f"/proposals/{proposal['id']}/budget", data)
    assert response.status_code in (200, 422)
    assert client.get(f"/api/v1/proposals/{proposal['id']}", headers=headers).get_json()["budget"]["lines"] == []


def test_web_budget_takes_thousands_separators(client, applicant, call):
    headers = bearer(client, applicant)
    proposal = client.post(f"/api/v1/calls/{call.id}/proposals", json={"title": "Kenya"}, headers=headers).get_json()
    web_login(client, applicant.email)
    line = budget_json()["lines"][0]
    data = {f"lines-0-{k}": v for k, v in {**line, "quantity": "2", "unit_cost_usd": "4,500.00"}.items()}
    post_form(client, f"/proposals/{proposal['id']}/budget", data)
    lines = client.get(f"/api/v1/proposals/{proposal['id']}", headers=headers).get_json()["budget"]["lines"]
    assert [line["amount_usd"] for line in lines] == ["9000.00"]


@pytest.mark.parametrize("path", ["/proposals/1/edit/%00", "/proposals/1/edit/" + "x" * 600])
def test_an_expired_post_that_could_not_be_stored_is_not_kept(client, path):
    from sqlalchemy import func, select

    from unscar.extensions import db
    from unscar.stash import StashedForm

    assert client.post(path, data={"title": "Kenya"}).status_code < 500
    assert client.post("/proposals/1/edit/summary", data={"title": "Kenya\x00"}).status_code < 500
    assert db.session.scalar(select(func.count()).select_from(StashedForm)) == 0
