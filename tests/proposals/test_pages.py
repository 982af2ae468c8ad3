"""The applicant's proposal editor: starting a proposal, its sections, the budget and the
attachments."""
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.bodies import budget_json
from tests.factories import CallFactory, make_user
from tests.files import EXECUTABLE, pdf_bytes
from tests.helpers import csrf_from, post_form, web_login
from tests.proposals.pages import budget_post, html, make_proposal, stored
from unscar.dates import utcnow
from unscar.extensions import db
from unscar.proposals.models import Proposal, ProposalStatus

NEXT_YEAR = utcnow().year + 1


# --- starting and editing ---------------------------------------------------------------

def test_applicant_starts_a_proposal_on_an_open_call(signed_in, call):
    assert "Start a proposal" in html(signed_in.get(f"/calls/{call.id}"))
    response = post_form(signed_in, f"/proposals/new?call_id={call.id}", {}, page=f"/calls/{call.id}")
    proposal = db.session.scalar(select(Proposal))
    assert response.status_code == 302
    assert response.headers["Location"] == f"/proposals/{proposal.id}/edit/summary"
    assert proposal.status == ProposalStatus.draft and proposal.reference == f"UNSCAR-{call.year}-0001"


def test_no_start_button_on_a_closed_call_or_for_the_secretariat(client, app):
    closed = CallFactory(closed=True)
    web_login(client, make_user("applicant").email)
    assert "Start a proposal" not in html(client.get(f"/calls/{closed.id}"))
    response = post_form(client, f"/proposals/new?call_id={closed.id}", {}, page=f"/calls/{closed.id}",
                         follow_redirects=True)
    assert "The call is not open for proposals." in html(response)
    assert db.session.scalar(select(func.count()).select_from(Proposal)) == 0
    staff = app.test_client()
    web_login(staff, make_user("secretariat").email)
    assert "Start a proposal" not in html(staff.get(f"/calls/{CallFactory().id}"))


SECTION_POSTS = {
    "summary": {"title": "  Arms transfer controls in Kenya ", "summary": "Line one.\r\nLine two.",
                "objectives": "A licensing system."},
    "scope": {"activity_types": ["capacity_building", "research"], "themes": ["legislation"],
              "instruments": ["att", "poa"], "countries": ["KEN", "GHA"]},
    "plan": {"start_date": f"{NEXT_YEAR}-01-01", "duration_months": "18", "gender_marker": "2", "language": "fr",
             "risks": "Elections.", "sustainability": "Curricula stay.", "cofunding_usd": "12,500.50"},
    "results": {"results-0-outcome": "Officers apply ATT criteria",
                "results-0-outputs-0-output": "40 officers trained",
                "results-0-outputs-0-indicators-0-indicator": "Officers certified",
                "results-0-outputs-0-indicators-0-baseline": "0",
                "results-0-outputs-0-indicators-0-target": "40",
                "results-0-outputs-0-indicators-3-indicator": "Women among them",
                "results-0-outputs-0-indicators-3-target": "15",
                "results-0-outputs-1-output": "", "results-0-outputs-1-indicators-0-indicator": "",
                "results-2-outcome": "Regulations adopted", "results-2-outputs-0-output": "Draft regulation",
                "results-4-outcome": "", "results-4-outputs-0-output": ""},
}
SAVED = {
    "summary": {"title": "Arms transfer controls in Kenya", "summary": "Line one.\nLine two.",
                "objectives": "A licensing system."},
    "scope": {"activity_types": ["capacity_building", "research"], "themes": ["legislation"],
              "instruments": ["poa", "att"], "countries": ["GHA", "KEN"]},  # in the order of the choices
    "plan": {"start_date": utcnow().date().replace(year=NEXT_YEAR, month=1, day=1), "duration_months": 18,
             "gender_marker": 2, "language": "fr", "risks": "Elections.", "sustainability": "Curricula stay.",
             "cofunding_usd": Decimal("12500.50")},
    "results": {"results": [
        {"outcome": "Officers apply ATT criteria", "outputs": [{"output": "40 officers trained", "indicators": [
            {"indicator": "Officers certified", "baseline": "0", "target": "40"},
            {"indicator": "Women among them", "baseline": "", "target": "15"}]}]},
        {"outcome": "Regulations adopted", "outputs": [{"output": "Draft regulation", "indicators": []}]}]},
}


@pytest.mark.parametrize("section", list(SECTION_POSTS))
def test_every_section_saves_and_round_trips(signed_in, applicant, call, section):
    proposal_id = make_proposal(applicant, call, complete=False)
    url = f"/proposals/{proposal_id}/edit/{section}"
    response = post_form(signed_in, url, SECTION_POSTS[section])
    assert response.status_code == 302 and response.headers["Location"] == url
    proposal = stored(proposal_id)
    for name, value in SAVED[section].items():
        assert getattr(proposal, name) == value, name
    # Saved again unchanged from the page as it is shown now, the values stay the same.
    page = html(signed_in.get(url))
    assert "Saved." in page
    again = post_form(signed_in, url, _fields_of(page))
    assert again.status_code == 302
    proposal = stored(proposal_id)
    for name, value in SAVED[section].items():
        assert getattr(proposal, name) == value, name


def _fields_of(page: str) -> dict:
    """The values a browser would post from the page's section form (no JavaScript)."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self):
            super().__init__()
            self.fields, self.textarea, self.select, self.in_template, self.in_form = {}, None, None, 0, False

        def add(self, name, value):
            self.fields.setdefault(name, []).append(value)

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "form" and a.get("data-testid") == "section-form":
                self.in_form = True
            if tag == "template":
                self.in_template += 1
            if not self.in_form or self.in_template or not a.get("name") and tag != "option":
                return
            if tag == "input" and a.get("type") in ("checkbox", "radio"):
                if "checked" in a:
                    self.add(a["name"], a.get("value", "y"))
            elif tag == "input" and a["name"] != "csrf_token":
                self.add(a["name"], a.get("value", ""))
            elif tag == "textarea":
                self.textarea = a["name"]
                self.add(a["name"], "")
            elif tag == "select":
                self.select = a["name"]
            elif tag == "option" and self.select and "selected" in a:
                self.add(self.select, a.get("value", ""))

        def handle_endtag(self, tag):
            if tag == "template":
                self.in_template -= 1
            if tag == "select":
                self.select = None
            if tag == "textarea":
                self.textarea = None
            if tag == "form":
                self.in_form = False

        def handle_data(self, data):
            if self.textarea:
                self.fields[self.textarea][-1] += data.removeprefix("\n")

    reader = Reader()
    reader.feed(page)
    return reader.fields


def test_a_refused_value_is_shown_with_what_was_typed(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call, complete=False)
    url = f"/proposals/{proposal_id}/edit/plan"
    response = post_form(signed_in, url, {"duration_months": "eighteen", "cofunding_usd": "10.005",
                                          "risks": "Kept risks text."})
    page = html(response)
    assert response.status_code == 200
    assert "Not a valid integer value." in page and "at most two decimals" in page
    assert 'value="eighteen"' in page and "Kept risks text." in page
    assert stored(proposal_id).risks == ""


def test_the_results_editor_offers_an_empty_outcome_to_fill(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call, complete=False)
    page = html(signed_in.get(f"/proposals/{proposal_id}/edit/results"))
    for name in ("results-0-outcome", "results-0-outputs-0-output", "results-0-outputs-0-indicators-0-indicator",
                 "results-0-outputs-0-indicators-0-baseline", "results-0-outputs-0-indicators-0-target"):
        assert f'name="{name}"' in page
    assert ">Indicator 1.1.1</label>" in page


# --- the budget -------------------------------------------------------------------------

def test_budget_amounts_and_subtotals_are_computed_on_the_server(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call, complete=False)
    url = f"/proposals/{proposal_id}/budget"
    lines = budget_json()["lines"]
    lines[0]["unit_cost_usd"] = "4,500.00"  # thousands separators are read
    response = post_form(signed_in, url, {**budget_post(lines), "lines-9-description": ""})
    assert response.status_code == 302
    proposal = stored(proposal_id)
    assert [line.amount_usd for line in proposal.budget_lines] == [
        Decimal("54000.00"), Decimal("4321.00"), Decimal("30000.00"), Decimal("5000.00")]  # 3.5 × 1234.57 half-up
    assert proposal.requested_usd == Decimal("93321.00")
    page = html(signed_in.get(url))
    for text in ("54,000.00", "4,321.00", "USD 88,321.00", "USD 5,000.00", "USD 93,321.00",
                 "3.50", str(NEXT_YEAR), str(NEXT_YEAR + 1), "58,321.00", "35,000.00"):
        assert text in page, text
    assert "budget-problems" not in page
    # Saved again with one line fewer and one changed, the budget is replaced.
    lines = lines[1:]
    lines[0]["quantity"] = "2"
    assert post_form(signed_in, url, budget_post(lines)).status_code == 302
    assert [line.amount_usd for line in stored(proposal_id).budget_lines] == [
        Decimal("2469.14"), Decimal("30000.00"), Decimal("5000.00")]


def test_indirect_costs_above_the_cap_are_a_problem_not_a_silent_fix(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call, complete=False)
    lines = [{"category": "staff", "description": "Coordinator", "unit": "month", "quantity": "12",
              "unit_cost_usd": "5000", "year": NEXT_YEAR},
             {"category": "indirect", "description": "Support", "unit": "lump sum", "quantity": "1",
              "unit_cost_usd": "6000", "year": NEXT_YEAR}]
    post_form(signed_in, f"/proposals/{proposal_id}/budget", budget_post(lines))
    assert stored(proposal_id).budget_lines[1].amount_usd == Decimal("6000.00")
    page = html(signed_in.get(f"/proposals/{proposal_id}/budget"))
    assert 'data-code="indirect_over_cap"' in page
    # The cap and the amount over it, in USD: 7% of 60,000 is 4,200, so 1,800 too much.
    assert ("Indirect support costs of USD 6,000.00 are USD 1,800.00 over this call&#39;s cap of 7% of the direct "
            "costs (USD 4,200.00 on direct costs of USD 60,000.00); lower them to USD 4,200.00 or less.") in page
    assert "10.00% of direct costs" in page


def test_a_started_budget_line_needs_every_value_and_keeps_what_was_typed(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call)
    response = post_form(signed_in, f"/proposals/{proposal_id}/budget", budget_post([
        {"category": "travel", "description": "Flights", "unit": "", "quantity": "1.234",
         "unit_cost_usd": "-3", "year": NEXT_YEAR}]))
    page = html(response)
    assert response.status_code == 200
    assert "Required." in page and "at most two decimals" in page and "may not be negative" in page
    assert 'value="Flights"' in page and 'value="1.234"' in page
    assert len(stored(proposal_id).budget_lines) == 4


# --- attachments --------------------------------------------------------------------------

def test_attachments_are_uploaded_listed_downloaded_and_removed(signed_in, applicant, call):
    import io

    proposal_id = make_proposal(applicant, call, complete=False)
    url = f"/proposals/{proposal_id}/attachments"
    token = csrf_from(html(signed_in.get(url)))
    response = signed_in.post(url, data={"csrf_token": token, "file": (io.BytesIO(pdf_bytes()), "Work plan.pdf")},
                              content_type="multipart/form-data")
    assert response.status_code == 302
    attachment = stored(proposal_id).attachments
    page = html(signed_in.get(url))
    assert "Work plan.pdf is attached." in page and "application/pdf" in page
    download = signed_in.get(f"/proposals/attachments/{attachment[0].id}")
    assert download.data == pdf_bytes()
    download.close()

    refused = signed_in.post(url, data={"csrf_token": token, "file": (io.BytesIO(EXECUTABLE), "setup.pdf")},
                             content_type="multipart/form-data")
    assert refused.status_code == 422 and "invalid-feedback" in html(refused)
    assert len(stored(proposal_id).attachments) == 1

    removed = post_form(signed_in, f"{url}/{attachment[0].id}/delete", {}, page=url, follow_redirects=True)
    assert "Work plan.pdf is removed." in html(removed)
    assert stored(proposal_id).attachments == []
