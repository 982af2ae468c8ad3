"""The applicant's findings of issue 18: who may apply is checked before a proposal starts
and first in the checklist; a call's proposal languages; a start date before the call;
one number format in money fields; the country picker; the reason for screening out."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.bodies import call_json, proposal_json
from tests.calls.test_pages import call_form
from tests.factories import CallFactory, OrganisationFactory, ProposalFactory, make_user
from tests.helpers import bearer, post_form, web_login
from tests.proposals.pages import html, make_proposal, stored
from unscar.calls.models import Call
from unscar.extensions import db
from unscar.proposals import services
from unscar.proposals.models import Proposal
from unscar.vocabulary import OrganisationType


def government():
    return make_user("applicant", organisation=OrganisationFactory(type=OrganisationType.government))


def options(page: str, name: str) -> list[str]:
    select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S).group(0)
    return re.findall(r'<option[^>]*value="([^"]*)"', select_html)


# --- eligibility before a proposal is started ------------------------------------------------

def test_an_ineligible_organisation_is_told_why_instead_of_offered_a_start(client, call):
    web_login(client, government().email)
    page = html(client.get(f"/calls/{call.id}"))
    assert "Start a proposal" not in page
    assert 'data-code="applicant_type_ineligible"' in page
    assert "this call is open to NGOs and research institutes (universities included) only, not to governments" in page
    response = post_form(client, f"/proposals/new?call_id={call.id}", {}, page=f"/calls/{call.id}",
                         follow_redirects=True)
    assert "not to governments" in html(response)
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0


def test_the_api_refuses_an_ineligible_organisation_with_the_rule(client, call):
    response = client.post(f"/api/v1/calls/{call.id}/proposals", json={}, headers=bearer(client, government()))
    body = response.get_json()
    assert response.status_code == 422
    assert [p["code"] for p in body["problems"]] == ["applicant_type_ineligible"]
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0


def test_eligibility_is_the_first_item_of_the_checklist(client, applicant, call):
    proposal_id = make_proposal(applicant, call, complete=False)
    applicant.organisation.type = OrganisationType.government  # the organisation's record was corrected
    db.session.commit()
    checks = client.get(f"/api/v1/proposals/{proposal_id}/checks", headers=bearer(client, applicant)).get_json()
    assert checks["problems"][0]["code"] == "applicant_type_ineligible"
    web_login(client, applicant.email)
    page = html(client.get(f"/proposals/{proposal_id}"))
    assert page.index('data-code="applicant_type_ineligible"') < page.index('data-code="missing_title"')


# --- the call's proposal languages ------------------------------------------------------------

def test_a_call_keeps_its_languages_through_the_api_and_refuses_unknown_codes(client):
    headers = bearer(client, make_user("secretariat"))
    created = client.post("/api/v1/calls", json=call_json(languages=["FR", "en"]), headers=headers)
    assert created.status_code == 201 and created.get_json()["languages"] == ["fr", "en"]
    assert client.post("/api/v1/calls", json=call_json(), headers=headers).get_json()["languages"] == []
    refused = client.post("/api/v1/calls", json=call_json(languages=["xx"]), headers=headers)
    assert refused.status_code == 422 and "languages.0" in refused.get_json()["errors"]


def test_the_call_form_chooses_languages_un_languages_first_and_the_page_shows_them(client):
    web_login(client, make_user("secretariat").email)
    page = html(client.get("/calls/new"))
    boxes = re.findall(r'name="languages" id="languages-(\w+)"', page)
    assert boxes[:6] == ["ar", "zh", "en", "fr", "ru", "es"] and len(boxes) == 184
    response = post_form(client, "/calls/new", call_form(languages=["fr", "es"]))
    assert response.status_code == 302
    call = db.session.scalars(select(Call)).one()
    assert call.languages == ["fr", "es"]
    assert "French, Spanish" in html(client.get(f"/calls/{call.id}"))


def test_the_proposal_offers_only_the_calls_languages_and_the_server_refuses_others(client, applicant):
    call = CallFactory(languages=["fr", "es"])
    proposal_id = make_proposal(applicant, call, complete=False)
    web_login(client, applicant.email)
    assert options(html(client.get(f"/proposals/{proposal_id}/edit/plan")), "language") == ["", "fr", "es"]
    response = post_form(client, f"/proposals/{proposal_id}/edit/plan", {"language": "en"})
    assert response.status_code == 200 and "Not a valid choice" in html(response)
    refused = client.patch(f"/api/v1/proposals/{proposal_id}", json={"language": "en"},
                           headers=bearer(client, applicant))
    assert refused.status_code == 422
    assert refused.get_json()["errors"]["language"] == [
        "This call accepts proposals written in French or Spanish only, not in English."]
    assert stored(proposal_id).language is None
    any_language = make_proposal(applicant, CallFactory(), complete=False)
    assert len(options(html(client.get(f"/proposals/{any_language}/edit/plan")), "language")) == 185


# --- a start date before the call -------------------------------------------------------------

def test_a_start_date_before_the_call_opens_is_flagged_while_drafting(client, applicant, call):
    opened = call.opens_at.date()
    proposal_id = make_proposal(applicant, call, start_date=str(opened - timedelta(days=1)))
    checks = client.get(f"/api/v1/proposals/{proposal_id}/checks", headers=bearer(client, applicant)).get_json()
    assert "start_before_call" in [p["code"] for p in checks["problems"]]
    web_login(client, applicant.email)
    page = html(client.get(f"/proposals/{proposal_id}/edit/plan"))
    assert 'data-testid="start_date-warning"' in page and "before the call opens on" in page
    post_form(client, f"/proposals/{proposal_id}/edit/plan", {
        "start_date": str(opened), "duration_months": "18", "gender_marker": "1", "language": "en",
        "risks": "Elections.", "sustainability": "Curricula stay.", "cofunding_usd": ""})
    assert stored(proposal_id).start_date == opened
    assert "start_before_call" not in [p["code"] for p in services.current_checks(stored(proposal_id))["problems"]]


# --- one number format ------------------------------------------------------------------------

def test_money_fields_of_the_call_form_take_grouping_and_show_it(client):
    web_login(client, make_user("secretariat").email)
    response = post_form(client, "/calls/new", call_form(envelope_usd="1,500,000", min_budget_usd="50,000.00",
                                                          max_budget_usd="150,000"))
    assert response.status_code == 302
    call = db.session.scalars(select(Call)).one()
    assert (str(call.envelope_usd), str(call.max_budget_usd)) == ("1500000.00", "150000.00")
    page = html(client.get(f"/calls/{call.id}/edit"))
    assert 'value="1,500,000.00"' in page and 'value="150,000.00"' in page


def test_the_budget_and_co_funding_show_amounts_grouped_as_they_are_typed(client, applicant, call):
    proposal_id = make_proposal(applicant, call, cofunding_usd="12500.5")
    web_login(client, applicant.email)
    assert 'value="12,500.50"' in html(client.get(f"/proposals/{proposal_id}/edit/plan"))
    assert 'value="4,500.00"' in html(client.get(f"/proposals/{proposal_id}/budget"))


# --- the country picker -----------------------------------------------------------------------

def test_countries_are_checkboxes_grouped_by_region_without_javascript(client, applicant, call):
    proposal_id = make_proposal(applicant, call)
    web_login(client, applicant.email)
    page = html(client.get(f"/proposals/{proposal_id}/edit/scope"))
    assert "<select" not in page.split('id="countries"')[1].split("</fieldset>")[0]
    groups = re.findall(r"<legend class=\"visually-hidden\">(\w+)</legend>", page)
    assert groups == ["Africa", "Americas", "Asia", "Europe", "Oceania", "Other"]
    assert len(re.findall(r'type="checkbox" name="countries"', page)) == 249
    assert re.search(r'id="countries-KEN" value="KEN" checked', page)
    assert "js/picker.js" in page and "data-picker-search hidden" in page


# --- the reason for screening out ---------------------------------------------------------------

def test_the_reason_for_screening_out_is_shown_beside_the_status(client):
    proposal = ProposalFactory(screened_out=True)
    owner = db.session.get(Proposal, proposal.id).organisation
    member = make_user("applicant", organisation=owner)
    web_login(client, member.email)
    page = html(client.get(f"/proposals/{proposal.id}"))
    reason = page.index('data-testid="screening-reason"')
    assert page.index('data-testid="proposal-status"') < reason < page.index('data-testid="view-facts"')
    assert "Why the proposal was screened out" in page and "Screened." in page[reason:reason + 400]


@pytest.mark.parametrize("typed", ["200,000", "200000", "200,000.00"])
def test_the_recommendation_envelope_takes_grouping(app, typed):
    from unscar.decisions.forms import RecommendationForm
    with app.test_request_context(method="POST", data={"envelope_usd": typed, "objective": "normalised_score"}):
        form = RecommendationForm(meta={"csrf": False})
        form.validate()
        assert "envelope_usd" not in form.errors and str(form.envelope_usd.data) == "200000.00"
