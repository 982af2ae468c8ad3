"""The applicant's proposal pages: sections, budget, attachments, checklist, transitions,
read-only after submission, 404 for other organisations, and what an expired session keeps."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.bodies import budget_json, proposal_json
from tests.factories import (
    PASSWORD,
    AssignmentFactory,
    CallFactory,
    ClarificationFactory,
    ProposalFactory,
    make_user,
    owner_of,
)
from tests.files import EXECUTABLE, pdf_bytes
from tests.helpers import csrf_from, post_form, web_login
from unscar.dates import freeze_clock, utcnow
from unscar.extensions import db
from unscar.outbox.models import OutboxMessage
from unscar.proposals import services
from unscar.proposals.models import Proposal, ProposalStatus
from unscar.stash import StashedForm

NEXT_YEAR = utcnow().year + 1


@pytest.fixture
def applicant(app):
    return make_user("applicant")


@pytest.fixture
def call(app):
    return CallFactory()


@pytest.fixture
def signed_in(client, applicant):
    web_login(client, applicant.email)
    return client


@pytest.fixture
def clock():
    freeze_clock(utcnow())
    yield lambda **delta: freeze_clock(utcnow() + timedelta(**delta))
    freeze_clock(None)


def make_proposal(user, call, complete: bool = True, **overrides) -> int:
    """A draft's id: complete (every section and the budget), or empty as the editor starts it."""
    if complete:
        return ProposalFactory(owner=user, call=call, with_budget=True, **overrides).id
    proposal_id = services.create_proposal(user, call, {}).id
    db.session.commit()
    return proposal_id


def stored(proposal_id: int) -> Proposal:
    db.session.expire_all()
    return db.session.get(Proposal, proposal_id)


def html(response) -> str:
    return response.get_data(as_text=True)


def submit(client, proposal_id):
    return post_form(client, f"/proposals/{proposal_id}/submit", {}, page=f"/proposals/{proposal_id}")


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

def _budget_post(lines: list[dict]) -> dict:
    data = {}
    for index, line in enumerate(lines):
        data.update({f"lines-{index}-{key}": str(value) for key, value in line.items()})
    return data


def test_budget_amounts_and_subtotals_are_computed_on_the_server(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call, complete=False)
    url = f"/proposals/{proposal_id}/budget"
    lines = budget_json()["lines"]
    lines[0]["unit_cost_usd"] = "4,500.00"  # thousands separators are read
    response = post_form(signed_in, url, {**_budget_post(lines), "lines-9-description": ""})
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
    assert post_form(signed_in, url, _budget_post(lines)).status_code == 302
    assert [line.amount_usd for line in stored(proposal_id).budget_lines] == [
        Decimal("2469.14"), Decimal("30000.00"), Decimal("5000.00")]


def test_indirect_costs_above_the_cap_are_a_problem_not_a_silent_fix(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call, complete=False)
    lines = [{"category": "staff", "description": "Coordinator", "unit": "month", "quantity": "12",
              "unit_cost_usd": "5000", "year": NEXT_YEAR},
             {"category": "indirect", "description": "Support", "unit": "lump sum", "quantity": "1",
              "unit_cost_usd": "6000", "year": NEXT_YEAR}]
    post_form(signed_in, f"/proposals/{proposal_id}/budget", _budget_post(lines))
    assert stored(proposal_id).budget_lines[1].amount_usd == Decimal("6000.00")
    page = html(signed_in.get(f"/proposals/{proposal_id}/budget"))
    assert 'data-code="indirect_over_cap"' in page and "exceed 7.00% of the direct costs" in page
    assert "10.00% of direct costs" in page


def test_a_started_budget_line_needs_every_value_and_keeps_what_was_typed(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call)
    response = post_form(signed_in, f"/proposals/{proposal_id}/budget", _budget_post([
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
    assert refused.status_code == 200 and "invalid-feedback" in html(refused)
    assert len(stored(proposal_id).attachments) == 1

    removed = post_form(signed_in, f"{url}/{attachment[0].id}/delete", {}, page=url, follow_redirects=True)
    assert "Work plan.pdf is removed." in html(removed)
    assert stored(proposal_id).attachments == []


# --- checklist and transitions ------------------------------------------------------------

def test_the_checklist_shows_what_blocks_submission_with_links(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call, complete=False)
    page = html(signed_in.get(f"/proposals/{proposal_id}"))
    assert 'data-testid="checklist"' in page
    for code in ("missing_title", "missing_results", "missing_countries", "missing_start_date", "missing_budget"):
        assert f'data-code="{code}"' in page, code
    assert f'href="/proposals/{proposal_id}/edit/results">Fix it' in page
    assert f'href="/proposals/{proposal_id}/budget">Fix it' in page


def test_a_refused_submission_lists_the_problems(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call, countries=["FRA"])
    response = submit(signed_in, proposal_id)
    page = html(response)
    assert response.status_code == 422
    assert 'data-testid="submission-refused"' in page and 'data-code="country_ineligible"' in page
    assert stored(proposal_id).status == ProposalStatus.draft


def test_submitting_shows_reference_time_history_and_queues_the_receipt(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call)
    response = submit(signed_in, proposal_id)
    assert response.headers["Location"] == f"/proposals/{proposal_id}"
    page = html(signed_in.get(f"/proposals/{proposal_id}"))
    proposal = stored(proposal_id)
    assert proposal.status == ProposalStatus.submitted
    assert f"Proposal {proposal.reference} is submitted." in page
    assert 'data-testid="submitted-at"' in page and proposal.submitted_at.strftime("%d %b %Y %H:%M UTC") in page
    assert ": draft (" in page and ": submitted (" in page
    receipt = db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == applicant.email))
    assert receipt.subject == f"Proposal received: {proposal.reference}"


def test_a_submitted_proposal_is_read_only(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call)
    submit(signed_in, proposal_id)
    detail = html(signed_in.get(f"/proposals/{proposal_id}"))
    assert "Submit the proposal" not in detail and "Delete the draft" not in detail
    assert "Reopen as a draft" in detail and "Withdraw the proposal" in detail
    assert f"/proposals/{proposal_id}/edit/summary" not in detail

    response = signed_in.get(f"/proposals/{proposal_id}/edit/summary", follow_redirects=True)
    assert "The proposal is submitted: it can no longer be changed. Reopen it to edit it." in html(response)
    refused = post_form(signed_in, f"/proposals/{proposal_id}/edit/summary", {"title": "Changed"},
                        page=f"/proposals/{proposal_id}")
    assert "only drafts can be changed" in html(refused) and 'value="Changed"' in html(refused)
    refused = post_form(signed_in, f"/proposals/{proposal_id}/budget", _budget_post(budget_json()["lines"][:1]),
                        page=f"/proposals/{proposal_id}")
    assert "only drafts can be changed" in html(refused)
    proposal = stored(proposal_id)
    assert proposal.title == proposal_json()["title"] and len(proposal.budget_lines) == 4


def test_reopen_then_withdraw_then_delete(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call)
    submit(signed_in, proposal_id)
    post_form(signed_in, f"/proposals/{proposal_id}/reopen", {}, page=f"/proposals/{proposal_id}")
    assert stored(proposal_id).status == ProposalStatus.draft
    submit(signed_in, proposal_id)
    response = post_form(signed_in, f"/proposals/{proposal_id}/withdraw", {"reason": "Funded elsewhere."},
                         page=f"/proposals/{proposal_id}", follow_redirects=True)
    assert "The proposal is withdrawn." in html(response) and "Funded elsewhere." in html(response)
    assert stored(proposal_id).status == ProposalStatus.withdrawn

    draft_id = make_proposal(applicant, call, complete=False)
    response = post_form(signed_in, f"/proposals/{draft_id}/delete", {}, page=f"/proposals/{draft_id}")
    assert response.headers["Location"] == "/proposals/"
    assert stored(draft_id).deleted_at is not None
    assert signed_in.get(f"/proposals/{draft_id}").status_code == 404


def test_buttons_follow_the_deadline(signed_in, applicant, call, clock):
    proposal_id = make_proposal(applicant, call)
    submit(signed_in, proposal_id)
    clock(days=31)
    page = html(signed_in.get(f"/proposals/{proposal_id}"))
    assert "Reopen as a draft" not in page and "Withdraw the proposal" in page
    refused = post_form(signed_in, f"/proposals/{proposal_id}/reopen", {}, page=f"/proposals/{proposal_id}",
                        follow_redirects=True)
    assert "The deadline has passed" in html(refused)
    draft_id = make_proposal(applicant, CallFactory(), complete=True)
    clock(days=31)
    page = html(signed_in.get(f"/proposals/{draft_id}"))
    assert "Submit the proposal" not in page and 'data-code="call_closed"' in page


def _pages(proposal_id: int, attachment_id: int) -> list[tuple[str, str]]:
    return [("get", f"/proposals/{proposal_id}"), ("get", f"/proposals/{proposal_id}/print"),
            ("get", f"/proposals/{proposal_id}/edit/summary"), ("get", f"/proposals/{proposal_id}/edit/results"),
            ("get", f"/proposals/{proposal_id}/budget"), ("get", f"/proposals/{proposal_id}/attachments"),
            ("get", f"/proposals/attachments/{attachment_id}"),
            ("post", f"/proposals/{proposal_id}/edit/plan"), ("post", f"/proposals/{proposal_id}/budget"),
            ("post", f"/proposals/{proposal_id}/submit"), ("post", f"/proposals/{proposal_id}/reopen"),
            ("post", f"/proposals/{proposal_id}/withdraw"), ("post", f"/proposals/{proposal_id}/delete"),
            ("post", f"/proposals/{proposal_id}/attachments/{attachment_id}/delete")]


def test_another_organisations_proposal_is_404_on_every_page(client, applicant, call):
    proposal_id = make_proposal(applicant, call)
    attachment = services.add_attachment(applicant, db.session.get(Proposal, proposal_id), "plan.pdf", pdf_bytes())
    attachment_id = attachment.id
    db.session.commit()
    web_login(client, make_user("applicant").email)
    token = csrf_from(html(client.get("/proposals/")))
    for method, url in _pages(proposal_id, attachment_id):
        response = client.get(url) if method == "get" else client.post(url, data={"csrf_token": token})
        assert response.status_code == 404, (method, url)
    proposal = stored(proposal_id)
    assert proposal.status == ProposalStatus.draft and proposal.deleted_at is None


def test_the_secretariat_reads_a_proposal_but_never_edits_it(client, applicant, call):
    proposal_id = make_proposal(applicant, call)
    web_login(client, make_user("secretariat").email)
    page = html(client.get(f"/proposals/{proposal_id}"))
    assert proposal_json()["title"] in page and 'data-testid="checklist"' in page
    assert "Submit the proposal" not in page and "Delete the draft" not in page and "/edit/" not in page
    assert client.get(f"/proposals/{proposal_id}/edit/summary").status_code == 403
    assert client.get("/proposals/").status_code == 403


def test_the_printable_view_holds_the_whole_proposal(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call)
    page = html(signed_in.get(f"/proposals/{proposal_id}/print"))
    for text in ("Strengthening national arms transfer controls in Kenya", "Licensing officers apply ATT criteria",
                 "Officers certified", "Kenya", "Arms Trade Treaty (ATT)", "Capacity building", "English",
                 "1: gender equality is a significant objective", "Elections may delay", "USD 10,000.00",
                 "Programme support", "USD 93,321.00", "Status history"):
        assert text in page, text
    assert "navbar" not in page and "/edit/" not in page


# --- the list -----------------------------------------------------------------------------

def _statements_during(count_statements, client, url: str) -> tuple[int, str]:
    with count_statements() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements), html(response)


def test_the_list_costs_as_many_queries_for_30_proposals_as_for_1(signed_in, applicant, call, count_statements):
    make_proposal(applicant, call, complete=False)
    with_one, page = _statements_during(count_statements, signed_in, "/proposals/")
    assert page.count('data-testid="proposal-') == 1
    for _ in range(29):
        make_proposal(applicant, CallFactory(), complete=False)
    with_thirty, page = _statements_during(count_statements, signed_in, "/proposals/")
    assert page.count('data-testid="proposal-') == 25  # one page
    assert with_thirty == with_one


def test_the_list_shows_only_the_organisations_proposals(signed_in, applicant, call):
    own = make_proposal(applicant, call, complete=False)
    other = make_proposal(make_user("applicant"), call, complete=False)
    page = html(signed_in.get("/proposals/"))
    assert f'data-testid="proposal-{own}"' in page and f'data-testid="proposal-{other}"' not in page


# --- nothing typed is lost (issue point 2) --------------------------------------------------

def test_a_post_after_the_session_expired_is_shown_again_after_log_in(app, applicant, call):
    client = app.test_client()
    web_login(client, applicant.email)
    proposal_id = make_proposal(applicant, call, complete=False)
    url = f"/proposals/{proposal_id}/edit/summary"
    token = csrf_from(html(client.get(url)))
    client.delete_cookie("session")
    long_text = "Objectives that took an hour to write. " * 500
    response = client.post(url, data={"csrf_token": token, "title": "Typed title", "objectives": long_text})
    assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=")
    stash = db.session.scalar(select(StashedForm))
    assert stash.path == url and ["csrf_token", token] not in stash.fields

    after_login = post_form(client, response.headers["Location"], {"email": applicant.email, "password": PASSWORD})
    assert after_login.headers["Location"] == f"{url}?restore={stash.token}"
    page = html(client.get(after_login.headers["Location"]))
    assert "Your session had expired; check and save again." in page
    assert 'value="Typed title"' in page and long_text.strip() in page
    assert stored(proposal_id).title == ""
    assert db.session.scalar(select(func.count()).select_from(StashedForm)) == 0  # used once

    post_form(client, url, {"title": "Typed title", "objectives": long_text})
    assert stored(proposal_id).title == "Typed title"


def test_a_post_after_signing_out_elsewhere_is_kept_too(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call, complete=False)
    url = f"/proposals/{proposal_id}/budget"
    token = csrf_from(html(signed_in.get(url)))
    post_form(signed_in, "/logout", {}, page="/")
    response = signed_in.post(url, data={"csrf_token": token, "lines-0-description": "Flights to Nairobi"})
    assert response.headers["Location"].startswith("/login?next=")
    web_login(signed_in, applicant.email)
    stash = db.session.scalar(select(StashedForm))
    page = html(signed_in.get(f"{url}?restore={stash.token}"))
    assert 'value="Flights to Nairobi"' in page and "check and save again" in page


def test_a_kept_post_is_only_shown_to_who_may_edit_it(app, applicant, call):
    proposal_id = make_proposal(applicant, call, complete=False)
    anonymous = app.test_client()
    token = csrf_from(html(anonymous.get("/login")))
    anonymous.post(f"/proposals/{proposal_id}/edit/summary", data={"csrf_token": token, "title": "Secret"})
    stash = db.session.scalar(select(StashedForm))
    stranger = app.test_client()
    web_login(stranger, make_user("applicant").email)
    assert stranger.get(f"/proposals/{proposal_id}/edit/summary?restore={stash.token}").status_code == 404
    assert db.session.scalar(select(func.count()).select_from(StashedForm)) == 1  # still there for its owner
    owner = app.test_client()
    web_login(owner, applicant.email)
    other_page = owner.get(f"/proposals/{proposal_id}/edit/plan?restore={stash.token}")
    assert "Secret" not in html(other_page)  # a stash belongs to the page it was posted to


def test_log_in_and_other_forms_are_never_kept(app, applicant):
    client = app.test_client()
    client.get("/login")
    client.delete_cookie("session")
    response = client.post("/login", data={"csrf_token": "stale", "email": applicant.email, "password": "x"})
    assert response.status_code in (302, 400)
    assert db.session.scalar(select(func.count()).select_from(StashedForm)) == 0


def test_a_reviewer_reads_a_proposal_only_through_its_assignment(client, applicant):
    """The applicant's pages and file route serve its organisation, staff and donors; a
    reviewer (who may be blind) gets 404 there and reads it on /reviews/assignments/<id>,
    where reviews/blind.py names everything it sees."""
    proposal = ProposalFactory(owner=applicant, call=CallFactory(blind_review=True), under_review=True,
                               attachments=["Accra Forum work plan.pdf"])
    web_login(client, AssignmentFactory(proposal=proposal).reviewer.email)
    proposal_id = proposal.id
    attachment_id = stored(proposal_id).attachments[0].id
    for url in (f"/proposals/{proposal_id}", f"/proposals/{proposal_id}/print",
                f"/proposals/attachments/{attachment_id}"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Accra Forum" not in response.get_data(as_text=True)
        response.close()


def test_the_applicant_finds_the_secretariats_question_on_the_proposal(client):
    question = ClarificationFactory(question="Who trains the officers?")
    proposal, owner = question.proposal, owner_of(question.proposal)
    web_login(client, owner.email)
    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Who trains the officers?" in page and f"/screening/clarifications/{question.id}/answer" in page
