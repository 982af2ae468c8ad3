"""Calls pages: finding and reading calls (anyone), and the secretariat's pages."""
import io
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests.factories import CallFactory, make_user
from tests.helpers import post_form, web_login
from unscar.audit.models import AuditEvent
from unscar.calls.models import Call, CallStatus
from unscar.dates import freeze_clock, utcnow
from unscar.extensions import db

ROLES = ["anonymous", "applicant", "reviewer", "donor", "secretariat", "admin"]


def sign_in(client, role, **kwargs):
    if role == "anonymous":
        return None
    user = make_user(role, **kwargs)
    web_login(client, user.email)
    return user


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.fixture
def frozen():
    yield freeze_clock
    freeze_clock(None)


def next_july(hour=23, minute=59):
    return datetime(utcnow().year + 1, 7, 31, hour, minute, tzinfo=timezone.utc)


# --- who may see and do what -------------------------------------------------------------

@pytest.mark.parametrize("role", ROLES)
def test_each_role_finds_the_calls_it_may_see(client, role):
    CallFactory(title="Open call on stockpiles")
    CallFactory(closed=True, title="Closed call on tracing")
    draft = CallFactory(draft=True, title="Draft call on borders")
    sign_in(client, role)
    page = text(client.get("/calls/"))
    staff = role in ("secretariat", "admin")
    assert "Open call on stockpiles" in page and "Closed call on tracing" in page
    assert ("Draft call on borders" in page) is staff
    assert client.get(f"/calls/{draft.id}").status_code == (200 if staff else 404)


@pytest.mark.parametrize("role, status", [("anonymous", 302), ("applicant", 403), ("reviewer", 403),
                                          ("donor", 403), ("admin", 403), ("secretariat", 200)])
def test_only_the_secretariat_reaches_the_call_editing_pages(client, role, status):
    call = CallFactory(draft=True)
    sign_in(client, role)
    assert client.get("/calls/new").status_code == status
    assert client.get(f"/calls/{call.id}/edit").status_code == status
    page = "/login" if role == "anonymous" else "/calls/"
    response = post_form(client, f"/calls/{call.id}/status", {"status": "open"}, page=page)
    assert response.status_code == (302 if status != 403 else 403)
    db.session.expire_all()
    assert (db.session.get(Call, call.id).status == CallStatus.open) is (role == "secretariat")
    shown = text(client.get(f"/calls/{call.id}")) if role in ("secretariat", "admin") else ""
    assert ("Edit</a>" in shown) is (role == "secretariat")


# --- the list and the deadline ------------------------------------------------------------

def test_open_calls_come_first_soonest_deadline_first(client):
    CallFactory(archived=True, title="Archived 2013 call")
    CallFactory(title="Closing later", closes_at=utcnow() + timedelta(days=50))
    CallFactory(in_review=True, title="In review now")
    CallFactory(title="Closing soon", closes_at=utcnow() + timedelta(days=2))
    page = text(client.get("/calls/"))
    positions = [page.index(t) for t in ("Closing soon", "Closing later", "In review now", "Archived 2013 call")]
    assert positions == sorted(positions)


def test_the_deadline_is_shown_in_the_viewers_profile_zone_and_in_utc(client):
    call = CallFactory(closes_at=next_july())
    sign_in(client, "applicant", timezone="Asia/Tokyo")
    year = next_july().year
    for url in ("/calls/", f"/calls/{call.id}"):
        page = text(client.get(url))
        assert f"01 Aug {year} 08:59 Asia/Tokyo" in page
        assert f"(31 Jul {year} 23:59 UTC)" in page


def test_without_a_profile_zone_the_page_gives_utc_for_the_browser_to_convert(client):
    call = CallFactory(closes_at=next_july())
    page = text(client.get(f"/calls/{call.id}"))
    deadline = next_july()
    assert f'<time datetime="{deadline.isoformat()}" data-local-time>31 Jul {deadline.year} 23:59 UTC</time>' in page
    assert "/static/js/local-time.js" in page


def test_time_left_then_closed_for_submissions_once_closes_at_passes(client, frozen):
    call = CallFactory(closes_at=utcnow() + timedelta(days=3, hours=5))
    page = text(client.get("/calls/"))
    assert "3 days left" in page and "Closed for submissions" not in page
    frozen(call.closes_at - timedelta(hours=2, minutes=30))
    assert "2 hours 30 minutes left" in text(client.get(f"/calls/{call.id}"))
    frozen(call.closes_at)
    for url in ("/calls/", f"/calls/{call.id}"):
        page = text(client.get(url))
        assert "Closed for submissions" in page and "left</span>" not in page
    assert db.session.get(Call, call.id).status == CallStatus.open


# --- the call page ------------------------------------------------------------------------

def test_a_call_page_shows_what_an_applicant_needs_to_decide(client):
    call = CallFactory(eligible_countries=["FJI"], max_proposals_per_organisation=2, blind_review=True)
    page = text(client.get(f"/calls/{call.id}"))
    assert ("Open to NGOs and research institutes (universities included), for projects benefiting any country "
            "in Africa or Asia, as well as Fiji.") in page
    assert "Governments do not apply themselves" in page
    assert "USD 50,000.00 to USD 200,000.00" in page and "12 to 24 months" in page
    assert "Indirect support costs up to 7.00% of direct costs" in page and "At most 2" in page
    assert "Legislation" in page and "Stockpile management" in page and "Arms Trade Treaty (ATT)" in page
    assert "Impact" in page and "60.00" in page and "What changes for the beneficiaries." in page
    assert "<strong>Arms Trade Treaty</strong>" in page and "The review is blind" in page


def test_script_in_a_description_never_reaches_the_page(client):
    # Written around the services, as a careless import would: the page still cleans it.
    call = CallFactory(description='<p>Fund us</p><script>alert("stolen")</script><img src=x onerror="alert(1)">',
                       guidelines='<a href="javascript:alert(2)">Guide</a>')
    page = text(client.get(f"/calls/{call.id}"))
    assert "<p>Fund us</p>" in page
    assert 'alert("stolen")' not in page and "onerror" not in page and "javascript:" not in page


# --- the secretariat's pages ---------------------------------------------------------------

def call_form(**overrides) -> dict:
    year = utcnow().year + 1
    data = {
        "title": "Ammunition management in West Africa", "year": str(year), "timezone": "Europe/Zurich",
        "opens_at": f"{year}-06-15T09:00", "closes_at": f"{year}-07-31T23:59", "review_closes_at": "",
        "envelope_usd": "1500000", "min_budget_usd": "50000.00", "max_budget_usd": "200000",
        "min_duration_months": "12", "max_duration_months": "24", "indirect_cap_pct": "7",
        "eligible_applicant_types": ["ngo", "un_entity"], "eligible_regions": ["Africa"],
        "themes": ["stockpile_management"], "instruments": ["poa", "iti"], "reviewers_per_proposal": "3",
        "scale_max": "5", "description": "<p>Safer <b>ammunition</b> stockpiles.</p><script>x()</script>",
        "guidelines": "<p>Use the templates.</p>",
        "criteria-0-name": "Impact", "criteria-0-guidance": "Fewer explosions", "criteria-0-weight": "60",
        "criteria-1-name": "", "criteria-1-guidance": "", "criteria-1-weight": "",
        "criteria-2-name": "Sustainability", "criteria-2-guidance": "", "criteria-2-weight": "40",
    }
    data.update(overrides)
    return data


def test_the_secretariat_creates_a_call_with_its_criteria(client):
    sign_in(client, "secretariat")
    response = post_form(client, "/calls/new", call_form())
    assert response.status_code == 302
    call = db.session.scalars(select(Call)).one()
    assert response.headers["Location"].endswith(f"/calls/{call.id}")
    assert call.status == CallStatus.draft and "<script>" not in call.description
    # Zurich is two hours ahead of UTC in summer.
    assert call.closes_at == datetime(utcnow().year + 1, 7, 31, 21, 59, tzinfo=timezone.utc)
    assert [(c.name, c.weight) for c in call.criteria] == [("Impact", Decimal("60.00")),
                                                           ("Sustainability", Decimal("40.00"))]
    assert call.eligible_applicant_types == ["ngo", "un_entity"] and call.instruments == ["poa", "iti"]
    assert db.session.scalars(select(AuditEvent.action)).all()[-1] == "call.created"


@pytest.mark.parametrize("change, message", [
    ({"min_budget_usd": "300000"}, "The minimum budget is above the maximum."),
    ({"envelope_usd": "-10"}, "The amount may not be negative."),
    ({"max_budget_usd": "1.234"}, "The amount may have at most two decimals."),
    ({"closes_at": f"{utcnow().year + 1}-06-01T00:00"}, "The call must close after it opens."),
    ({"criteria-0-weight": "0"}, "Number must be between 0.01 and 1000."),
    ({"criteria-0-name": "", "criteria-2-name": ""}, "Give at least one scoring criterion."),
    ({"themes": []}, "Choose at least one."),
])
def test_bad_input_on_the_form_is_explained_and_nothing_is_saved(client, change, message):
    sign_in(client, "secretariat")
    response = post_form(client, "/calls/new", call_form(**change))
    assert response.status_code == 200
    assert message in text(response)
    assert db.session.scalar(select(Call)) is None


def test_the_edit_page_of_an_open_call_offers_only_what_may_change_and_audits_an_extension(client):
    call = CallFactory(closes_at=next_july())
    sign_in(client, "secretariat")
    page = text(client.get(f"/calls/{call.id}/edit"))
    assert 'name="closes_at"' in page and 'name="title"' not in page and "criteria-0-name" not in page
    year = next_july().year
    response = post_form(client, f"/calls/{call.id}/edit", {
        "timezone": "UTC", "closes_at": f"{year}-08-15T23:59", "review_closes_at": "",
        "envelope_usd": "1500000.00", "description": call.description, "guidelines": call.guidelines})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Call, call.id).closes_at == datetime(year, 8, 15, 23, 59, tzinfo=timezone.utc)
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.object_type == "calls")).one()
    assert event.action == "call.deadline_extended"
    shortened = post_form(client, f"/calls/{call.id}/edit", {
        "timezone": "UTC", "closes_at": f"{year}-08-01T00:00", "envelope_usd": "1500000.00",
        "description": call.description, "guidelines": call.guidelines})
    assert shortened.status_code == 200 and "Choose a time after the current closing time." in text(shortened)


def test_a_draft_is_edited_with_its_criteria(client):
    call = CallFactory(draft=True, closes_at=next_july(), opens_at=next_july() - timedelta(days=40))
    sign_in(client, "secretariat")
    page = text(client.get(f"/calls/{call.id}/edit"))
    assert 'value="Impact"' in page and f'value="{next_july().year}-07-31T23:59"' in page
    form = call_form(title="Renamed draft", **{"criteria-1-name": "Gender equality", "criteria-1-weight": "10"})
    assert post_form(client, f"/calls/{call.id}/edit", form).status_code == 302
    db.session.expire_all()
    call = db.session.get(Call, call.id)
    assert call.title == "Renamed draft" and [c.name for c in call.criteria] == [
        "Impact", "Gender equality", "Sustainability"]


def test_the_open_button_shows_exactly_when_opening_is_allowed(client, frozen):
    call = CallFactory(draft=True)
    sign_in(client, "secretariat")
    assert "Open the call" in text(client.get(f"/calls/{call.id}"))
    frozen(call.closes_at + timedelta(minutes=1))
    page = text(client.get(f"/calls/{call.id}"))
    assert "Open the call" not in page and "closing time has passed" in page
    response = post_form(client, f"/calls/{call.id}/status", {"status": "open"}, page=f"/calls/{call.id}")
    assert "closing time has passed" in text(client.get(response.headers["Location"]))
    frozen(None)
    response = post_form(client, f"/calls/{call.id}/status", {"status": "open"}, page=f"/calls/{call.id}",
                         follow_redirects=True)
    assert "The call is now open." in text(response) and "Close the call" in text(response)


def test_the_secretariat_uploads_templates_that_anyone_downloads(client):
    from tests.files import pdf_bytes

    call = CallFactory()
    sign_in(client, "secretariat")
    url = f"/calls/{call.id}/templates"
    form = pdf_bytes()
    ok = post_form(client, url, {"file": (io.BytesIO(form), "Formulaire de demande.pdf")},
                   page=f"/calls/{call.id}")
    assert ok.status_code == 302
    refused = post_form(client, url, {"file": (io.BytesIO(b"MZ\x90\x00 not a document"), "budget.xlsx")},
                        page=f"/calls/{call.id}", follow_redirects=True)
    assert "This kind of file is not accepted" in text(refused)
    template = db.session.get(Call, call.id).templates
    assert [t.filename for t in template] == ["Formulaire de demande.pdf"]
    anonymous = client.application.test_client()
    page = text(anonymous.get(f"/calls/{call.id}"))
    assert "Formulaire de demande.pdf" in page and "Remove</button>" not in page
    download = anonymous.get(f"/calls/{call.id}/templates/{template[0].id}")
    body = download.get_data()
    download.close()
    assert body == form and download.mimetype == "application/pdf"
    assert "filename*=UTF-8''Formulaire%20de%20demande.pdf" in download.headers["Content-Disposition"]


def test_home_and_navigation_lead_to_the_calls(client):
    page = text(client.get("/"))
    assert "Find an open call" in page and 'href="/calls/">Calls for proposals' in page
    sign_in(client, "secretariat")
    assert "Create a call" in text(client.get("/"))
