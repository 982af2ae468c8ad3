"""Drafts save themselves while the applicant types (issue 18, point 4): the autosave
endpoint behind static/js/autosave.js saves through the same service as the Save button,
names the field it refuses, keeps the text when the session has expired, and a few minutes
of autosaves make one audit event."""
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import func, select

from tests.factories import PASSWORD, make_user
from tests.helpers import csrf_from, post_form, web_login
from tests.proposals.pages import html, make_proposal, stored, submit
from unscar.audit.models import AuditEvent
from unscar.audit.verify import verify_chain
from unscar.extensions import db
from unscar.stash import StashedForm


def page_url(proposal_id: int, section: str = "summary") -> str:
    return f"/proposals/{proposal_id}/edit/{section}"


def autosave(client, proposal_id: int, data: dict, section: str = "summary", token: str | None = None):
    """Post `data` as the script does: the page's form, its CSRF token included."""
    if token is None:
        token = csrf_from(html(client.get(page_url(proposal_id, section))))
    return client.post(f"{page_url(proposal_id, section)}/autosave", data={**data, "csrf_token": token},
                       headers={"Accept": "application/json"})


def updated_events(proposal_id: int) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "proposal.updated", AuditEvent.object_type == "proposals",
        AuditEvent.object_id == proposal_id).order_by(AuditEvent.id)).all()


def stash_count() -> int:
    return db.session.scalar(select(func.count()).select_from(StashedForm))


@pytest.fixture
def draft(applicant, call):
    return make_proposal(applicant, call, complete=False)


# --- the page -----------------------------------------------------------------------------

def test_section_pages_carry_the_autosave_and_its_live_region(signed_in, draft):
    page = html(signed_in.get(page_url(draft)))
    assert f'data-autosave-url="/proposals/{draft}/edit/summary/autosave"' in page
    assert 'role="status" aria-live="polite" data-autosave-status' in page
    assert "js/autosave.js" in page
    assert "Save draft" in page  # without JavaScript the button saves as before
    assert "data-autosave-url" not in html(signed_in.get(f"/proposals/{draft}/budget"))


# --- saving -------------------------------------------------------------------------------

def test_an_autosave_saves_the_typed_text_and_says_when(signed_in, draft):
    response = autosave(signed_in, draft, {"title": "Typed title", "summary": "", "objectives": "Half an objec"})
    assert response.status_code == 200 and response.is_json
    assert response.get_json()["saved_at"]
    proposal = stored(draft)
    assert (proposal.title, proposal.objectives) == ("Typed title", "Half an objec")
    [event] = updated_events(draft)
    assert event.after == {"title": "Typed title", "objectives": "Half an objec"}


def test_fields_the_post_does_not_carry_are_left_as_saved(signed_in, draft):
    autosave(signed_in, draft, {"title": "Title", "summary": "A summary", "objectives": "Objectives"})
    assert autosave(signed_in, draft, {"title": "A better title"}).status_code == 200
    proposal = stored(draft)
    assert (proposal.title, proposal.summary, proposal.objectives) == ("A better title", "A summary", "Objectives")


def test_each_section_autosaves_through_its_own_form(signed_in, draft):
    response = autosave(signed_in, draft, {"results-0-outcome": "Fewer diverted arms",
                                           "results-0-outputs-0-output": "Officers trained"}, section="results")
    assert response.status_code == 200
    assert stored(draft).results == [{"outcome": "Fewer diverted arms",
                                      "outputs": [{"output": "Officers trained", "indicators": []}]}]
    response = autosave(signed_in, draft, {"themes": ["gender_and_children"], "countries": ["KEN"]}, section="scope")
    assert response.status_code == 200
    assert (stored(draft).themes, stored(draft).countries) == (["gender_and_children"], ["KEN"])
    # Unticking every box sends nothing for them: they are cleared, as the Save button would.
    assert autosave(signed_in, draft, {}, section="scope").status_code == 200
    assert (stored(draft).themes, stored(draft).countries) == ([], [])


def test_bad_input_is_named_and_the_rest_is_saved(signed_in, draft):
    autosave(signed_in, draft, {"duration_months": "18", "risks": ""}, section="plan")
    response = autosave(signed_in, draft, {"duration_months": "eighteen", "risks": "Export licences are slow",
                                           "start_date": "2027-02-30"}, section="plan")
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["detail"].startswith("Start date: ")
    assert set(body["errors"]) == {"start_date", "duration_months"}
    assert body["saved_at"]
    proposal = stored(draft)
    assert proposal.risks == "Export licences are slow"
    assert proposal.duration_months == 18  # the refused field keeps what was saved


def test_unknown_sections_and_oversized_text_answer_json_never_a_500(signed_in, draft):
    response = autosave(signed_in, draft, {"title": "x"}, section="summary")
    assert response.status_code == 200
    token = csrf_from(html(signed_in.get(page_url(draft))))
    response = signed_in.post(f"/proposals/{draft}/edit/budget/autosave", data={"csrf_token": token})
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    response = autosave(signed_in, draft, {"title": "T" * 5000, "summary": "kept\x00"})
    assert response.status_code == 422 and set(response.get_json()["errors"]) == {"title", "summary"}
    assert stored(draft).title == "x"


# --- who may, and when ----------------------------------------------------------------------

def test_a_submitted_proposal_is_not_autosaved(signed_in, applicant, call):
    proposal_id = make_proposal(applicant, call)
    token = csrf_from(html(signed_in.get(page_url(proposal_id))))
    title = stored(proposal_id).title
    assert submit(signed_in, proposal_id).status_code == 302
    response = autosave(signed_in, proposal_id, {"title": "Changed after submission"}, token=token)
    assert response.status_code == 409 and response.mimetype == "application/problem+json"
    assert "no longer a draft" in response.get_json()["detail"]
    assert stored(proposal_id).title == title


def test_another_organisation_and_other_roles_are_refused(app, draft):
    stranger = app.test_client()
    web_login(stranger, make_user("applicant").email)
    response = autosave(stranger, draft, {"title": "Not mine"}, token=csrf_from(html(stranger.get("/proposals/"))))
    assert response.status_code == 404 and response.mimetype == "application/problem+json"
    secretariat = app.test_client()
    web_login(secretariat, make_user("secretariat").email)
    response = autosave(secretariat, draft, {"title": "Not mine"}, token=csrf_from(html(secretariat.get("/"))))
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    assert stored(draft).title == ""


def test_a_forged_post_from_another_site_changes_and_keeps_nothing(app, applicant, draft):
    # Another site's page cannot read the token, and the browser id cookie is SameSite=Strict.
    client = app.test_client()
    web_login(client, applicant.email)
    client.delete_cookie("unscar_browser")
    response = client.post(f"{page_url(draft)}/autosave", data={"title": "Forged"})
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    assert stored(draft).title == "" and stash_count() == 0


# --- the audit ------------------------------------------------------------------------------

def test_autosaves_within_a_few_minutes_make_one_audit_event(signed_in, draft, clock):
    token = csrf_from(html(signed_in.get(page_url(draft))))
    for n in range(10):  # ten pauses in one minute
        assert autosave(signed_in, draft, {"objectives": "Objective " * (n + 1)}, token=token).status_code == 200
        clock(seconds=6)
    assert stored(draft).objectives == ("Objective " * 10).strip()
    assert len(updated_events(draft)) == 1
    clock(minutes=5)
    assert autosave(signed_in, draft, {"objectives": "Rewritten"}, token=token).status_code == 200
    events = updated_events(draft)
    assert len(events) == 2
    # Append-only: the second event starts from the text the coalesced autosaves left.
    assert events[1].before == {"objectives": ("Objective " * 10).strip()}
    assert verify_chain().intact


def test_the_window_is_a_setting_and_the_save_button_is_always_audited(signed_in, app, draft, clock):
    app.config["AUTOSAVE_AUDIT_MINUTES"] = 1
    autosave(signed_in, draft, {"title": "One"})
    clock(seconds=30)
    autosave(signed_in, draft, {"title": "Two"})
    assert len(updated_events(draft)) == 1
    clock(seconds=31)
    autosave(signed_in, draft, {"title": "Three"})
    assert len(updated_events(draft)) == 2
    post_form(signed_in, page_url(draft), {"title": "Four"})  # the Save button
    assert len(updated_events(draft)) == 3


def test_each_user_gets_their_own_event(app, applicant, draft, clock):
    colleague = make_user("applicant", organisation=applicant.organisation)
    first, second = app.test_client(), app.test_client()
    web_login(first, applicant.email)
    web_login(second, colleague.email)
    autosave(first, draft, {"title": "Mine"})
    autosave(second, draft, {"title": "Ours"})
    assert [event.actor_id for event in updated_events(draft)] == [applicant.id, colleague.id]


# --- an expired session keeps the text --------------------------------------------------------

def test_an_autosave_after_the_session_expired_keeps_the_text_for_after_log_in(app, applicant, draft):
    client = app.test_client()
    web_login(client, applicant.email)
    token = csrf_from(html(client.get(page_url(draft))))
    client.delete_cookie("session")
    typed = "Objectives typed while the session ran out. " * 200
    response = autosave(client, draft, {"title": "Typed title", "objectives": typed}, token=token)
    assert response.status_code == 401 and response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["detail"] == "Your session has expired. Sign in again: what you typed is kept."
    assert body["kept"] is True and body["link"]["text"] == "Sign in again"
    stash = db.session.scalar(select(StashedForm))
    assert stash.path == page_url(draft)  # kept for the form's page, not the autosave's
    login = urlsplit(body["link"]["href"])
    assert login.path == "/login" and parse_qs(login.query)["next"] == [f"{page_url(draft)}?restore={stash.token}"]
    assert stored(draft).title == ""

    signed = post_form(client, body["link"]["href"], {"email": applicant.email, "password": PASSWORD})
    assert signed.headers["Location"] == f"{page_url(draft)}?restore={stash.token}"
    page = html(client.get(signed.headers["Location"]))
    assert 'value="Typed title"' in page and typed.strip() in page
    assert "data-autosave-restored" in page
    assert stash_count() == 0
    assert autosave(client, draft, {"title": "Typed title", "objectives": typed}).status_code == 200
    assert stored(draft).objectives == typed.strip()


def test_an_autosave_after_signing_out_elsewhere_is_kept_too(signed_in, applicant, draft):
    token = csrf_from(html(signed_in.get(page_url(draft, "plan"))))
    post_form(signed_in, "/logout", {}, page="/")
    response = autosave(signed_in, draft, {"risks": "Typed risks"}, section="plan", token=token)
    assert response.status_code == 401 and response.get_json()["kept"] is True
    web_login(signed_in, applicant.email)
    stash = db.session.scalar(select(StashedForm))
    page = html(signed_in.get(f"{page_url(draft, 'plan')}?restore={stash.token}"))
    assert "Typed risks" in page and stored(draft).risks == ""


def test_a_stale_page_while_signed_in_is_kept_and_reloaded(signed_in, draft):
    response = autosave(signed_in, draft, {"title": "Typed on a stale page"}, token="stale-token")
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    body = response.get_json()
    stash = db.session.scalar(select(StashedForm))
    assert body["link"] == {"href": f"{page_url(draft)}?restore={stash.token}", "text": "Reload the page"}
    assert 'value="Typed on a stale page"' in html(signed_in.get(body["link"]["href"]))


def test_hostile_rows_and_repeated_fields_answer_json(signed_in, draft):
    rows = {f"results-{n}-outcome": f"Outcome {n}" for n in range(0, 400, 7)}
    response = autosave(signed_in, draft, {**rows, "results-abc-outcome": "x", "results-0-outputs-x-output": "y"},
                        section="results")
    assert response.status_code in (200, 422) and response.is_json
    response = autosave(signed_in, draft, {"title": ["One", "Two"], "duration_months": "9" * 40}, section="plan")
    assert response.status_code in (200, 422) and response.is_json
