"""The review pages: reviewers' assignments, declaration, review form, decline and conflict;
the secretariat's panel and progress pages; reviewer profiles; review reminders."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.builders import proposals_under_review
from tests.factories import AssignmentFactory, ReviewFactory, make_user
from tests.files import pdf_bytes
from tests.helpers import post_form, web_login
from unscar.audit.models import AuditEvent
from unscar.dates import utcnow
from unscar.extensions import db
from unscar.files import sha256_of, store_bytes
from unscar.outbox.models import OutboxMessage
from unscar.proposals.models import Attachment
from unscar.reviews import assigning, panels, services
from unscar.reviews.models import Assignment, AssignmentStatus, ReviewerProfile


@pytest.fixture
def world(app):
    """A call in review (reviews close in 10 days) with 3 proposals; a reviewer assigned to the first."""
    call, proposals = proposals_under_review(3)
    closed_for_submissions(call)
    call.review_closes_at = utcnow() + timedelta(days=10)
    staff, reviewer = make_user("secretariat"), make_user("reviewer")
    assignment = assigning.assign_reviewer(staff, call, reviewer.id, proposals[0].id)
    db.session.commit()
    return {"call": call, "proposals": proposals, "staff": staff, "reviewer": reviewer, "assignment": assignment}


def closed_for_submissions(call):
    call.opens_at, call.closes_at = utcnow() - timedelta(days=60), utcnow() - timedelta(days=20)


def signed_in(client, user):
    web_login(client, user.email)
    return client


def declared(world):
    panels.sign_declaration(world["reviewer"], world["call"])
    db.session.commit()


def review_page(world) -> str:
    return f"/reviews/assignments/{world['assignment'].id}"


def criteria(world):
    return [c.id for c in world["call"].criteria]


# --- who may open what -----------------------------------------------------------------

PAGES = {
    "index": "/reviews/",
    "declaration": "/reviews/calls/{call}/declaration",
    "assignment": "/reviews/assignments/{assignment}",
    "own profile": "/reviews/profile",
    "reviewer's profile": "/reviews/reviewers/{reviewer}/profile",
    "panel": "/reviews/calls/{call}/panel",
    "progress": "/reviews/calls/{call}/assignments",
}
# anonymous callers are sent to log in (302); roles that may never use a page get 403
# before anything is looked up; a reviewer who may not see an object gets 404.
EXPECTED = {
    "reviewer": {"index": 200, "declaration": 200, "assignment": 200, "own profile": 200,
                 "reviewer's profile": 200, "panel": 403, "progress": 403},
    "other reviewer": {"index": 200, "declaration": 404, "assignment": 404, "own profile": 200,
                       "reviewer's profile": 404, "panel": 403, "progress": 403},
    "secretariat": {"index": 403, "declaration": 403, "assignment": 403, "own profile": 403,
                    "reviewer's profile": 200, "panel": 200, "progress": 200},
    "admin": {"index": 403, "declaration": 403, "assignment": 403, "own profile": 403,
              "reviewer's profile": 200, "panel": 200, "progress": 200},
    "applicant": {"index": 403, "declaration": 403, "assignment": 403, "own profile": 403,
                  "reviewer's profile": 403, "panel": 403, "progress": 403},
    "donor": {"index": 403, "declaration": 403, "assignment": 403, "own profile": 403,
              "reviewer's profile": 403, "panel": 403, "progress": 403},
    "anonymous": {page: 302 for page in PAGES},
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_page_answers_each_role(client, world, role):
    declared(world)
    users = {"reviewer": world["reviewer"], "other reviewer": make_user("reviewer"), "secretariat": world["staff"],
             "admin": make_user("admin"), "applicant": make_user("applicant"), "donor": make_user("donor")}
    if role != "anonymous":
        signed_in(client, users[role])
    ids = {"call": world["call"].id, "assignment": world["assignment"].id, "reviewer": world["reviewer"].id}
    answers = {page: client.get(url.format(**ids)).status_code for page, url in PAGES.items()}
    assert answers == EXPECTED[role]


def test_links_lead_each_role_to_its_review_pages(client, app, world):
    home = signed_in(client, world["reviewer"]).get("/").get_data(as_text=True)
    assert 'href="/reviews/"' in home and ">My reviews<" in home
    call_page = signed_in(app.test_client(), world["staff"]).get(f"/calls/{world['call'].id}").get_data(as_text=True)
    assert f"/reviews/calls/{world['call'].id}/panel" in call_page
    assert f"/reviews/calls/{world['call'].id}/assignments" in call_page
    assert ">My reviews<" not in call_page


# --- the reviewer's journey --------------------------------------------------------------

def test_the_proposal_waits_for_the_declaration(client, world):
    signed_in(client, world["reviewer"])
    index = client.get("/reviews/").get_data(as_text=True)
    assert world["proposals"][0].reference in index and "Sign the declaration" in index
    response = client.get(review_page(world))
    assert response.status_code == 302 and f"/reviews/calls/{world['call'].id}/declaration" in response.location
    declaration = client.get(response.location)
    assert "Conflicts of interest" in declaration.get_data(as_text=True)
    refused = post_form(client, response.location, {})
    assert refused.status_code == 200 and "Tick the box" in refused.get_data(as_text=True)
    signed = post_form(client, response.location, {"accept": "y"})
    assert signed.status_code == 302 and signed.location.endswith(review_page(world))
    page = client.get(review_page(world)).get_data(as_text=True)
    assert world["proposals"][0].title in page
    assert "What changes for the beneficiaries." in page  # each criterion's guidance beside its score
    assert "You signed this declaration" in client.get(response.location).get_data(as_text=True)


def test_a_draft_is_saved_and_comes_back_then_submitted(client, world):
    declared(world)
    signed_in(client, world["reviewer"])
    first, second = criteria(world)
    saved = post_form(client, review_page(world), {f"score_{first}": "4", f"comment_{first}": "Clear targets.",
                                                   "comment": "", "recommendation": "", "save_draft": "1"})
    assert saved.status_code == 302 and saved.location.endswith(review_page(world))
    page = client.get(review_page(world)).get_data(as_text=True)
    assert re.search(r'<option selected value="4">4</option>', page) and "Clear targets." in page
    incomplete = post_form(client, review_page(world), {f"score_{first}": "4", "comment": "",
                                                        "recommendation": "fund", "submit_review": "1"})
    assert incomplete.status_code == 422
    html = incomplete.get_data(as_text=True)
    assert "Score every criterion before submitting." in html and "Write an overall comment" in html
    done = post_form(client, review_page(world), {f"score_{first}": "4", f"score_{second}": "3",
                                                  "comment": "A sound plan.", "recommendation": "fund",
                                                  "submit_review": "1"})
    assert done.status_code == 302 and done.location.endswith("/reviews/")
    review = db.session.get(Assignment, world["assignment"].id).review
    assert review.submitted_at is not None and {s.criterion_id: s.score for s in review.scores} == {first: 4,
                                                                                                     second: 3}
    page = client.get(review_page(world)).get_data(as_text=True)
    assert "You submitted this review" in page and 'data-testid="review-form"' not in page
    assert 'data-testid="decline-form"' not in page and 'data-testid="conflict-form"' in page


def _section(html: str, testid: str) -> str:
    start = html.index(f'data-testid="{testid}"')
    return html[start:html.index("</table>", start)]


def test_a_submitted_review_leaves_to_review_for_submitted(client, world):
    declared(world)
    reference = world["proposals"][0].reference
    signed_in(client, world["reviewer"])
    assert reference in _section(client.get("/reviews/").get_data(as_text=True), "active-assignments")
    ReviewFactory(assignment=world["assignment"], submitted=True, marks=(4, 4), comment="Good.")
    db.session.commit()
    html = client.get("/reviews/").get_data(as_text=True)
    assert reference not in _section(html, "active-assignments")
    assert "Nothing left to review: every review you were given is submitted." in html
    assert reference in _section(html, "submitted-assignments")
    services.return_review(world["staff"], world["assignment"], "Please say more about the risks.")
    db.session.commit()
    html = client.get("/reviews/").get_data(as_text=True)
    assert reference in _section(html, "active-assignments") and 'data-testid="submitted-assignments"' not in html


def test_a_score_outside_the_scale_is_refused(client, world):
    declared(world)
    signed_in(client, world["reviewer"])
    first, _ = criteria(world)
    response = post_form(client, review_page(world), {f"score_{first}": "9", "comment": "", "save_draft": "1"})
    assert response.status_code == 200 and "Not a valid choice" in response.get_data(as_text=True)
    assert db.session.get(Assignment, world["assignment"].id).review is None


def test_no_review_form_once_reviews_close(client, world):
    declared(world)
    world["call"].review_closes_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    page = signed_in(client, world["reviewer"]).get(review_page(world)).get_data(as_text=True)
    assert "Reviews for this call are closed" in page and 'data-testid="review-form"' not in page
    refused = post_form(client, review_page(world), {"comment": "late", "save_draft": "1"},
                        page="/reviews/profile")
    assert refused.status_code == 409


def test_declining_needs_a_reason_and_ends_access(client, world):
    declared(world)
    signed_in(client, world["reviewer"])
    url = review_page(world) + "/decline"
    empty = post_form(client, url, {"decline-reason": ""}, page=review_page(world))
    assert empty.status_code == 422 and "Give a reason." in empty.get_data(as_text=True)
    token = re.search(r'name="decline-csrf_token" type="hidden" value="([^"]+)"',
                      client.get(review_page(world)).get_data(as_text=True)).group(1)
    done = client.post(url, data={"decline-csrf_token": token, "decline-reason": "Travelling all month."})
    assert done.status_code == 302
    assert client.get(review_page(world)).status_code == 404
    index = client.get("/reviews/").get_data(as_text=True)
    assert "Declined" in index and f'href="{review_page(world)}"' not in index
    assert db.session.get(Assignment, world["assignment"].id).status == AssignmentStatus.declined


def _post_reason(client, world, kind: str, reason: str):
    html = client.get(review_page(world)).get_data(as_text=True)
    token = re.search(rf'name="{kind}-csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    return client.post(f"{review_page(world)}/{kind}", data={f"{kind}-csrf_token": token, f"{kind}-reason": reason})


def test_a_conflict_after_a_review_voids_it_and_ends_access_at_once(client, world):
    declared(world)
    ReviewFactory(assignment=world["assignment"], submitted=True, marks=(5, 5), comment="Excellent.")
    signed_in(client, world["reviewer"])
    response = _post_reason(client, world, "conflict", "I advised the applicant last year.")
    assert response.status_code == 302
    assert client.get(review_page(world)).status_code == 404
    assert client.get(f"/proposals/{world['proposals'][0].id}").status_code == 404
    index = client.get("/reviews/").get_data(as_text=True)
    assert "Conflict of interest declared" in index and world["proposals"][0].title not in index
    assignment = db.session.get(Assignment, world["assignment"].id)
    assert assignment.status == AssignmentStatus.conflicted and assignment.review.voided_at is not None
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "review.voided")) == 1


# --- blind review --------------------------------------------------------------------------

def test_a_blind_call_names_no_applicant_on_the_reviewers_pages(client, app, world):
    call, proposal = world["call"], world["proposals"][0]
    call.blind_review = True
    data = pdf_bytes()
    db.session.add(Attachment(proposal_id=proposal.id, filename="Organisation 1 workplan.pdf",
                              media_type="application/pdf", size=len(data), sha256=sha256_of(data),
                              storage_key=store_bytes(data), uploaded_by_id=proposal.created_by_id))
    db.session.commit()
    declared(world)
    organisation = proposal.organisation
    members = [u for u in db.session.scalars(select(type(world["reviewer"])).where(
        type(world["reviewer"]).organisation_id == organisation.id))]
    secrets = {organisation.name, organisation.registration_number, "workplan"}
    secrets |= {m.name for m in members} | {m.email for m in members}
    signed_in(client, world["reviewer"])
    pages = ["/reviews/", f"/reviews/calls/{call.id}/declaration", review_page(world), "/reviews/profile",
             f"/reviews/reviewers/{world['reviewer'].id}/profile"]
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        assert not [s for s in secrets if s in html], url
    html = client.get(review_page(world)).get_data(as_text=True)
    assert f"{proposal.reference} attachment 1 (PDF)" in html and "(Applicant)" in html
    link = re.search(r'href="(/reviews/assignments/\d+/attachments/\d+)"', html).group(1)
    download = client.get(link)
    # The same one-page PDF, rewritten without its metadata (tests/test_blind_metadata.py).
    assert download.status_code == 200 and download.data.startswith(b"%PDF") and b"/Count 1" in download.data
    assert f"{proposal.reference}-attachment-1.pdf" in download.headers["Content-Disposition"]
    assert "workplan" not in download.headers["Content-Disposition"]
    download.close()
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == world["reviewer"].email))
    for mail in mails:
        assert not [s for s in secrets if s in mail.body + mail.subject]


def test_an_open_call_may_name_the_applicant(client, world):
    declared(world)
    html = signed_in(client, world["reviewer"]).get(review_page(world)).get_data(as_text=True)
    assert world["proposals"][0].organisation.name in html


# --- the secretariat ---------------------------------------------------------------------

def test_the_secretariat_sets_the_panel_and_assigns_automatically(client, world):
    call = world["call"]
    reviewers = [make_user("reviewer") for _ in range(2)]
    signed_in(client, world["staff"])
    panel = client.get(f"/reviews/calls/{call.id}/panel").get_data(as_text=True)
    assert all(r.name in panel for r in reviewers)
    saved = post_form(client, f"/reviews/calls/{call.id}/panel", {"reviewer_ids": [r.id for r in reviewers]})
    assert saved.status_code == 302 and panels.panel_ids(call) == sorted(r.id for r in reviewers)
    page = f"/reviews/calls/{call.id}/assignments"
    done = post_form(client, page + "/auto", {"reviewers_per_proposal": ""}, page=page, follow_redirects=True)
    html = done.get_data(as_text=True)
    # Three per proposal from two panel reviewers; the first proposal already had one.
    assert "Created 6 assignments." in html
    short = [p.reference for p in world["proposals"][1:]]
    assert (f"2 proposals got fewer than the 3 reviewers asked for: {short[0]} has 2; {short[1]} has 2. "
            "No other reviewer of the panel is free of conflicts") in html
    assert html.count('data-testid="missing">1 missing<') == 2
    again = post_form(client, page + "/auto", {"reviewers_per_proposal": "1"}, page=page, follow_redirects=True)
    html = again.get_data(as_text=True)
    assert "Nothing to assign: every proposal under review already has 1 reviewer." in html
    assert 'alert-success' not in html


def test_asking_for_more_reviewers_than_the_call_names_the_count_asked_for(client, world):
    """The message speaks of the number asked for, so "3 / 3" in the table never sits beside
    "misses 2"."""
    call = world["call"]
    reviewers = [make_user("reviewer") for _ in range(3)]
    panels.set_panel(world["staff"], call, [r.id for r in reviewers])
    db.session.commit()
    signed_in(client, world["staff"])
    page = f"/reviews/calls/{call.id}/assignments"
    html = post_form(client, page + "/auto", {"reviewers_per_proposal": "5"}, page=page,
                     follow_redirects=True).get_data(as_text=True)
    first = world["proposals"][0].reference
    assert "misses" not in html and "fewer than the 5 reviewers asked for" in html
    assert f"{first} has 4" in html  # its earlier reviewer and the three of the panel
    assert "add reviewers to the panel, or assign one by hand" in html


def test_an_empty_panel_is_not_reported_as_a_success(client, world):
    call = world["call"]
    signed_in(client, world["staff"])
    saved = post_form(client, f"/reviews/calls/{call.id}/panel", {"reviewer_ids": []}, follow_redirects=True)
    html = saved.get_data(as_text=True)
    assert "The panel has 0 reviewers" not in html and "alert-success" not in html
    assert "The panel is now empty: no reviewer can be assigned" in html
    page = f"/reviews/calls/{call.id}/assignments"
    auto = post_form(client, page + "/auto", {"reviewers_per_proposal": ""}, page=page, follow_redirects=True)
    html = auto.get_data(as_text=True)
    assert "Nothing was assigned: the review panel has no reviewers." in html and "Created 0" not in html


def test_a_manual_assignment_refused_says_why(client, world):
    target = world["proposals"][1]
    colleague = make_user("reviewer", organisation=target.organisation)
    signed_in(client, world["staff"])
    page = f"/reviews/calls/{world['call'].id}/assignments"
    refused = post_form(client, page, {"proposal_id": target.id, "reviewer_id": colleague.id},
                        follow_redirects=True)
    assert "Not assigned: The reviewer belongs to, or is linked with, the applicant organisation." in \
        refused.get_data(as_text=True)
    fine = make_user("reviewer")
    done = post_form(client, page, {"proposal_id": target.id, "reviewer_id": fine.id}, follow_redirects=True)
    assert f"is assigned to {target.reference}" in done.get_data(as_text=True)


def test_the_progress_page_counts_assignments_declines_conflicts_and_reviews(client, world):
    call, proposals, staff = world["call"], world["proposals"], world["staff"]
    declared(world)
    ReviewFactory(assignment=world["assignment"], submitted=True, marks=(4, 4), comment="Good.")
    decliner, conflicted = make_user("reviewer"), make_user("reviewer")
    for reviewer, close in ((decliner, assigning.decline_assignment), (conflicted, assigning.declare_conflict)):
        assignment = assigning.assign_reviewer(staff, call, reviewer.id, proposals[1].id)
        close(reviewer, assignment, "A reason.")
    db.session.commit()
    html = signed_in(client, staff).get(f"/reviews/calls/{call.id}/assignments").get_data(as_text=True)
    totals = dict(re.findall(r'data-testid="total-(\w+)">(\d+)<', html))
    assert totals == {"assignments": "3", "active": "1", "declined": "1", "conflicted": "1", "submitted": "1"}
    assert "Return review" in html and "A reason." in html


def test_the_secretariat_returns_a_submitted_review(client, world):
    declared(world)
    ReviewFactory(assignment=world["assignment"], submitted=True, marks=(4, 4), comment="Good.")
    signed_in(client, world["staff"])
    page = f"/reviews/calls/{world['call'].id}/assignments"
    html = client.get(page).get_data(as_text=True)
    token = re.search(r'name="return-csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    response = client.post(f"/reviews/assignments/{world['assignment'].id}/return",
                           data={"return-csrf_token": token, "return-reason": "Explain the score on impact."})
    assert response.status_code == 302
    assert db.session.get(Assignment, world["assignment"].id).review.submitted_at is None
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "review_returned")).one()
    assert "Explain the score on impact." in mail.body


def _progress_statements(client, count_statements, count: int) -> int:
    """Statements of one GET of the progress page, for a call with `count` proposals."""
    call, _ = proposals_under_review(count)
    staff = make_user("secretariat")
    reviewers = [make_user("reviewer") for _ in range(4)]
    panels.set_panel(staff, call, [r.id for r in reviewers])
    assigning.auto_assign(staff, call)
    db.session.commit()
    signed_in(client, staff)
    with count_statements() as statements:
        assert client.get(f"/reviews/calls/{call.id}/assignments").status_code == 200
    return len(statements)


def test_the_progress_page_runs_as_many_queries_for_20_proposals_as_for_3(app, count_statements):
    assert (_progress_statements(app.test_client(), count_statements, 3)
            == _progress_statements(app.test_client(), count_statements, 20))


# --- profiles --------------------------------------------------------------------------------

def test_a_reviewer_keeps_their_profile_with_links_by_name(client, world):
    reviewer = world["reviewer"]
    organisation = world["proposals"][2].organisation
    signed_in(client, reviewer)
    page = client.get("/reviews/profile").get_data(as_text=True)
    assert organisation.name not in page  # a reviewer's page lists no organisations
    unknown = post_form(client, "/reviews/profile", {"themes": ["legislation"], "languages": ["fr", "en"],
                                                     "links-0-organisation": "No such body", "links-0-kind": "board"})
    assert unknown.status_code == 200 and "No registered organisation has this name." in unknown.get_data(as_text=True)
    saved = post_form(client, "/reviews/profile", {"themes": ["legislation"], "regions": ["Africa"],
                                                   "languages": ["fr", "en"],
                                                   "links-0-organisation": organisation.name.upper(),
                                                   "links-0-kind": "employment"})
    assert saved.status_code == 302
    profile = db.session.get(ReviewerProfile, reviewer.id)
    assert (profile.themes, profile.regions, profile.languages) == (["legislation"], ["Africa"], ["fr", "en"])
    assert [(link.organisation_id, link.kind.value) for link in profile.links] == [(organisation.id, "employment")]
    assert organisation.name in client.get("/reviews/profile").get_data(as_text=True)


def test_the_secretariat_edits_a_reviewers_profile(client, world):
    reviewer = world["reviewer"]
    signed_in(client, world["staff"])
    url = f"/reviews/reviewers/{reviewer.id}/profile"
    page = client.get(url).get_data(as_text=True)
    assert world["proposals"][0].organisation.name in page  # the staff's list of names to pick from
    assert post_form(client, url, {"themes": ["reporting"]}).status_code == 302
    assert db.session.get(ReviewerProfile, reviewer.id).themes == ["reporting"]
    assert client.get(f"/reviews/reviewers/{world['staff'].id}/profile").status_code == 404  # not a reviewer


# --- reminders ----------------------------------------------------------------------------------

def _review_reminders():
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "review_reminder")))


def test_reviewers_are_reminded_once_before_reviews_close(runner, world):
    call, proposals, staff = world["call"], world["proposals"], world["staff"]
    call.review_closes_at = utcnow() + timedelta(days=2)
    done_reviewer, declined_reviewer = make_user("reviewer"), make_user("reviewer")
    finished = AssignmentFactory(proposal=proposals[1], reviewer=done_reviewer, declared=True)
    ReviewFactory(assignment=finished, submitted=True, marks=(3, 3), comment="Fine.")
    declined = assigning.assign_reviewer(staff, call, declined_reviewer.id, proposals[2].id)
    assigning.decline_assignment(declined_reviewer, declined, "Busy.")
    db.session.commit()
    result = runner.invoke(args=["unscar", "remind"])
    assert result.exit_code == 0, result.output
    assert "Reviews reminded of their deadline: 1" in result.output
    again = runner.invoke(args=["unscar", "remind"])
    assert "Reviews reminded of their deadline: 0" in again.output
    sent = _review_reminders()
    assert [m.to_address for m in sent] == [world["reviewer"].email]
    assert proposals[0].reference in sent[0].body and review_page(world) in sent[0].body
    assert proposals[0].organisation.name not in sent[0].body


def test_no_reminder_while_reviews_close_later_than_the_setting(runner, world):
    world["call"].review_closes_at = utcnow() + timedelta(days=3, hours=1)
    db.session.commit()
    assert "Reviews reminded of their deadline: 0" in runner.invoke(args=["unscar", "remind"]).output
    assert _review_reminders() == []


def test_a_drafts_score_can_be_taken_back(client, world):
    declared(world)
    signed_in(client, world["reviewer"])
    first, _ = criteria(world)
    post_form(client, review_page(world), {f"score_{first}": "4", "comment": "", "save_draft": "1"})
    cleared = post_form(client, review_page(world), {f"score_{first}": "", "comment": "", "save_draft": "1"})
    assert cleared.status_code == 302
    review = db.session.get(Assignment, world["assignment"].id).review
    assert {s.criterion_id: s.score for s in review.scores}[first] is None
    page = client.get(review_page(world)).get_data(as_text=True)
    assert '<option selected value="">Not scored</option>' in page


def test_a_panel_saved_with_every_reviewer_unticked_is_empty(client, world):
    # A browser sends no reviewer_ids at all when every box is unticked.
    call = world["call"]
    reviewer = make_user("reviewer")
    signed_in(client, world["staff"])
    post_form(client, f"/reviews/calls/{call.id}/panel", {"reviewer_ids": [reviewer.id]})
    cleared = post_form(client, f"/reviews/calls/{call.id}/panel", {})
    assert cleared.status_code == 302 and panels.panel_ids(call) == []
