"""The secretariat's intake (issue point 7): the list per call, its filters, sorting,
counts and CSV; screening and clarification questions from the pages; organisation
verification and registration documents; who may use which page; and the intake
list's SQL statements, the same for 1 and for 30 proposals."""
import csv
import io
import itertools
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import CallFactory, ClarificationFactory, OrganisationFactory, ProposalFactory, make_user
from tests.files import EXECUTABLE, pdf_bytes
from tests.helpers import csrf_from, post_form, web_login
from unscar.accounts.documents import OrganisationDocument
from unscar.audit.models import AuditEvent
from unscar.dates import utcnow
from unscar.extensions import db
from unscar.outbox.models import OutboxMessage
from unscar.proposals.models import Attachment, Proposal, ProposalStatus
from unscar.screening.models import Clarification
from unscar.screening.queries import status_counts
from unscar.vocabulary import OrganisationType

_numbers = itertools.count(1)


def make_proposal(call, organisation, creator, *, status=ProposalStatus.submitted, title="A project",
                  requested="100000.00", countries=("KEN",), themes=("legislation",), submitted_days_ago=1,
                  problems=(), deleted=False) -> Proposal:
    """A proposal row as submission leaves it (checks snapshot, submitted_at, requested total),
    written directly: the intake needs many rows with set totals, dates and old snapshots."""
    number = next(_numbers)
    proposal = Proposal(
        call=call, organisation=organisation, created_by_id=creator.id, reference=f"UNSCAR-{call.year}-{number:04d}",
        status=status, title=title, countries=list(countries), themes=list(themes), requested_usd=Decimal(requested),
        submitted_at=None if status == ProposalStatus.draft else utcnow() - timedelta(days=submitted_days_ago),
        checks_snapshot=None if status == ProposalStatus.draft else {
            "eligible": not problems, "problems": [{"code": c, "message": c} for c in problems]},
        deleted_at=utcnow() if deleted else None)
    db.session.add(proposal)
    db.session.commit()
    return proposal


def make_document(organisation, uploader, filename="certificate.pdf") -> OrganisationDocument:
    document = OrganisationDocument(organisation_id=organisation.id, filename=filename, media_type="application/pdf",
                                    size=10, sha256="0" * 64, storage_key=f"k{next(_numbers)}",
                                    uploaded_by_id=uploader.id)
    db.session.add(document)
    db.session.commit()
    return document


def sign_in(client, *roles, **kwargs):
    user = make_user(*roles, **kwargs)
    web_login(client, user.email)
    return user


def text(response) -> str:
    return response.get_data(as_text=True)


def references(page: str) -> list[str]:
    return re.findall(r'data-testid="row" data-reference="([^"]+)"', page)


def events(action: str | None = None) -> int:
    stmt = select(func.count()).select_from(AuditEvent)
    return db.session.scalar(stmt if action is None else stmt.where(AuditEvent.action == action))


@pytest.fixture
def call(app):
    return CallFactory()


@pytest.fixture
def intake(app, call):
    """Three organisations' proposals in every interesting state."""
    ngo = OrganisationFactory(name="Amani Peace Forum", type=OrganisationType.ngo, country="KEN",
                              verified_at=utcnow())
    institute = OrganisationFactory(name="Côte d'Ivoire Institute", type=OrganisationType.research_institute,
                                    country="CIV")
    third = OrganisationFactory(name="Zanzibar Arms Watch", country="TZA")
    people = {org.id: make_user("applicant", organisation=org) for org in (ngo, institute, third)}
    rows = {
        "kenya": make_proposal(call, ngo, people[ngo.id], title="Licensing in Kenya", requested="150000.00",
                               countries=["KEN"], themes=["legislation"], submitted_days_ago=3),
        "stockpiles": make_proposal(call, institute, people[institute.id], title="Stockpiles in West Africa",
                                    requested="60000.00", countries=["CIV", "GHA"],
                                    themes=["stockpile_management"], submitted_days_ago=1),
        "screened": make_proposal(call, ngo, people[ngo.id], title="Border posts", requested="90000.00",
                                  countries=["UGA", "KEN"], themes=["legislation", "stockpile_management"],
                                  status=ProposalStatus.screened_out, submitted_days_ago=2,
                                  problems=["budget_out_of_range"]),
        "withdrawn": make_proposal(call, third, people[third.id], title="=HYPERLINK(\"http://x\")",
                                   requested="70000.00", countries=["TZA"], status=ProposalStatus.withdrawn),
        "draft": make_proposal(call, third, people[third.id], title="Still drafting", status=ProposalStatus.draft),
        "deleted": make_proposal(call, institute, people[institute.id], title="Gone", deleted=True),
        "other_call": make_proposal(CallFactory(), ngo, people[ngo.id], title="Elsewhere"),
    }
    make_document(ngo, people[ngo.id], "statutes.pdf")
    return {"rows": rows, "ngo": ngo, "institute": institute, "people": people}


def ref(intake, *names):
    return [intake["rows"][name].reference for name in names]


# --- the list ----------------------------------------------------------------------------

def test_the_intake_lists_what_was_received_never_drafts_or_deleted(client, call, intake):
    sign_in(client, "secretariat")
    page = text(client.get(f"/screening/calls/{call.id}"))
    assert sorted(references(page)) == sorted(ref(intake, "kenya", "stockpiles", "screened", "withdrawn"))
    assert "Still drafting" not in page and "Gone" not in page and "Elsewhere" not in page
    assert "150,000.00" in page and "Amani Peace Forum" in page and "Côte d&#39;Ivoire Institute" in page
    assert "statutes.pdf" in page and 'data-testid="verified"' in page and 'data-testid="not-verified"' in page
    assert "budget_out_of_range" in page and "Stockpile management" in page


def test_counts_per_status_come_from_sql(call, intake):
    assert status_counts(call.id) == {"submitted": 2, "screened_out": 1, "withdrawn": 1}


def test_counts_are_shown_at_the_top(client, call, intake):
    sign_in(client, "secretariat")
    page = text(client.get(f"/screening/calls/{call.id}"))
    assert 'data-status="submitted"' in page and 'data-count="2"' in page and 'data-status="draft"' not in page


@pytest.mark.parametrize("query, expected", [
    ("status=submitted", ["kenya", "stockpiles"]),
    ("organisation_type=research_institute", ["stockpiles"]),
    ("country=KEN", ["kenya", "screened"]),
    ("country=GHA", ["stockpiles"]),
    ("theme=stockpile_management", ["stockpiles", "screened"]),
    ("theme=legislation&status=submitted", ["kenya"]),
    ("verified=yes", ["kenya", "screened"]),
    ("verified=no", ["stockpiles", "withdrawn"]),
    ("q=stockpiles", ["stockpiles"]),
    ("q=%25", []),  # LIKE's wildcard is searched for, not obeyed
    ("status=bogus&country=XXX", ["kenya", "stockpiles", "screened", "withdrawn"]),  # invalid values do not filter
])
def test_filters(client, call, intake, query, expected):
    sign_in(client, "secretariat")
    page = text(client.get(f"/screening/calls/{call.id}?{query}&sort=reference"))
    assert references(page) == sorted(ref(intake, *expected))


def test_search_finds_a_reference(client, call, intake):
    sign_in(client, "secretariat")
    reference = intake["rows"]["stockpiles"].reference
    assert references(text(client.get(f"/screening/calls/{call.id}?q={reference.lower()}"))) == [reference]


@pytest.mark.parametrize("sort, expected", [
    ("submitted", ["kenya", "screened", "stockpiles", "withdrawn"]),
    ("-requested", ["kenya", "screened", "withdrawn", "stockpiles"]),
    ("requested", ["stockpiles", "withdrawn", "screened", "kenya"]),
    ("organisation", ["kenya", "screened", "stockpiles", "withdrawn"]),
    ("-organisation", ["withdrawn", "stockpiles", "kenya", "screened"]),
    ("-reference", ["withdrawn", "screened", "stockpiles", "kenya"]),
])
def test_sorting(client, call, intake, sort, expected):
    sign_in(client, "secretariat")
    assert references(text(client.get(f"/screening/calls/{call.id}?sort={sort}"))) == ref(intake, *expected)


def test_csv_of_the_filtered_list(client, call, intake):
    sign_in(client, "secretariat")
    response = client.get(f"/screening/calls/{call.id}/proposals.csv?verified=no&sort=reference")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [row["reference"] for row in rows] == ref(intake, "stockpiles", "withdrawn")
    first, second = rows
    assert first["requested_usd"] == "60000.00" and first["organisation"] == "Côte d'Ivoire Institute"
    assert first["countries"] == "CIV;GHA" and first["organisation_verified"] == "no" and first["eligible"] == "yes"
    assert second["title"] == "'=HYPERLINK(\"http://x\")"  # a formula stays text in Excel
    assert second["status"] == "withdrawn"


def test_the_csv_names_the_problems_of_the_snapshot(client, call, intake):
    sign_in(client, "secretariat")
    body = client.get(f"/screening/calls/{call.id}/proposals.csv?status=screened_out").get_data().decode("utf-8-sig")
    (row,) = csv.DictReader(io.StringIO(body))
    assert row["eligible"] == "no" and row["problems"] == "budget_out_of_range" and row["themes"] == \
        "legislation;stockpile_management"


def _statements_during(count_statements, client, url) -> int:
    with count_statements() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_the_intake_page_runs_as_many_statements_for_30_proposals_as_for_1(client, call, count_statements):
    sign_in(client, "secretariat")
    url = f"/screening/calls/{call.id}?sort=-requested"

    def add_proposal(n):
        org = OrganisationFactory(verified_at=utcnow() if n % 2 else None)
        applicant = make_user("applicant", organisation=org)
        make_document(org, applicant)
        make_proposal(call, org, applicant, requested=f"{50000 + n}.00")

    add_proposal(0)
    one = _statements_during(count_statements, client, url)
    for n in range(1, 30):
        add_proposal(n)
    thirty = _statements_during(count_statements, client, url)
    assert len(references(text(client.get(url)))) == 30
    assert one == thirty, (one, thirty)


# --- a proposal's screening page ---------------------------------------------------------------

def _submitted(call):
    """A proposal submitted through the services by a member of Amani Peace Forum."""
    applicant = make_user("applicant", organisation=OrganisationFactory(name="Amani Peace Forum"))
    return ProposalFactory(call=call, owner=applicant, submitted=True, title="Licensing in Kenya"), applicant


def test_the_screening_page_shows_the_whole_proposal(client, call):
    proposal, applicant = _submitted(call)
    make_document(proposal.organisation, applicant, "registration.pdf")
    sign_in(client, "secretariat")
    page = text(client.get(f"/screening/proposals/{proposal.id}"))
    assert "Licensing in Kenya" in page and "Every automatic check passed." in page
    assert "registration.pdf" in page and "Verify the organisation" in page
    assert 'data-testid="screening-form"' in page and 'data-testid="budget"' in page


def test_screening_from_the_page_tells_the_applicant_with_one_audit_event(client, call):
    proposal, applicant = _submitted(call)
    sign_in(client, "secretariat")
    before = events()
    response = post_form(client, f"/screening/proposals/{proposal.id}/screen",
                         {"decision": "ineligible", "reason": "The budget exceeds the call's maximum."},
                         page=f"/screening/proposals/{proposal.id}")
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.screened_out
    assert events() == before + 1 and events("proposal.screened_out") == 1
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "screening")).one()
    assert mail.to_address == applicant.email and "exceeds the call's maximum" in mail.body
    page = text(client.get(f"/screening/proposals/{proposal.id}"))
    assert 'data-testid="screening-form"' not in page and "exceeds the call&#39;s maximum" in page


def test_screening_out_needs_a_reason(client, call):
    proposal, _ = _submitted(call)
    sign_in(client, "secretariat")
    response = post_form(client, f"/screening/proposals/{proposal.id}/screen",
                         {"decision": "ineligible", "reason": " "}, page=f"/screening/proposals/{proposal.id}")
    assert response.status_code == 422 and "Give the reason for screening the proposal out" in text(response)
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.submitted and events("proposal.screened_out") == 0


def test_an_eligible_proposal_needs_no_reason(client, call):
    proposal, applicant = _submitted(call)
    sign_in(client, "secretariat")
    response = post_form(client, f"/screening/proposals/{proposal.id}/screen", {"decision": "eligible", "reason": ""},
                         page=f"/screening/proposals/{proposal.id}")
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.under_review and proposal.screening_reason is None
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "screening")).one()
    assert "passed the eligibility" in mail.body and "reason" not in mail.body


def test_screening_out_over_an_open_question_asks_for_confirmation(client, call):
    proposal, _ = _submitted(call)
    ClarificationFactory(proposal=proposal)
    sign_in(client, "secretariat")
    page = f"/screening/proposals/{proposal.id}"
    shown = text(client.get(page))
    assert 'data-testid="open-questions"' in shown and "1 clarification question to the applicant" in shown
    refused = post_form(client, f"{page}/screen", {"decision": "ineligible", "reason": "Out of scope."}, page=page)
    assert refused.status_code == 409 and "is not answered yet" in text(refused)
    assert 'name="confirm_open_questions"' in text(refused) and "Out of scope." in text(refused)
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.submitted and events("proposal.screened_out") == 0
    confirmed = post_form(client, f"{page}/screen", {"decision": "ineligible", "reason": "Out of scope.",
                                                     "confirm_open_questions": "y"}, page=page)
    assert confirmed.status_code == 302
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.screened_out


def test_an_open_question_does_not_hold_up_an_eligible_proposal(client, call):
    proposal, _ = _submitted(call)
    ClarificationFactory(proposal=proposal)
    sign_in(client, "secretariat")
    page = f"/screening/proposals/{proposal.id}"
    assert post_form(client, f"{page}/screen", {"decision": "eligible"}, page=page).status_code == 302
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.under_review


def test_an_answered_question_needs_no_confirmation(client, call):
    proposal, _ = _submitted(call)
    ClarificationFactory(proposal=proposal, answered=True)
    sign_in(client, "secretariat")
    page = f"/screening/proposals/{proposal.id}"
    assert 'data-testid="open-questions"' not in text(client.get(page))
    assert post_form(client, f"{page}/screen", {"decision": "ineligible", "reason": "No."}, page=page).status_code == 302


def test_the_screening_views_show_labels_not_codes(client, call):
    proposal, _ = _submitted(call)
    proposal.checks_snapshot = {"eligible": False, "problems": [
        {"code": "budget_out_of_range", "message": "The budget is above the call's maximum."}]}
    proposal.countries = ["KEN", "CIV"]
    db.session.commit()
    sign_in(client, "secretariat")
    listing = text(client.get(f"/screening/calls/{call.id}"))
    row = listing[listing.index('data-testid="row"'):]
    assert "Kenya" in row and "Côte d&#39;Ivoire" in row and ">KEN" not in row and "KEN," not in row
    assert "The budget is above the call&#39;s maximum." in row and "<code" not in row
    detail = text(client.get(f"/screening/proposals/{proposal.id}"))
    checks = detail[detail.index('data-testid="checks"'):detail.index('</section>', detail.index('data-testid="checks"'))]
    assert "above the call&#39;s maximum" in checks and "<code>" not in checks


def test_screening_twice_is_refused_with_a_message(client, call):
    proposal, _ = _submitted(call)
    sign_in(client, "secretariat")
    page = f"/screening/proposals/{proposal.id}"
    post_form(client, f"{page}/screen", {"decision": "eligible", "reason": "Fine."}, page=page)
    token = csrf_from(text(client.get(page)))
    response = client.post(f"{page}/screen", data={"decision": "ineligible", "reason": "No.", "csrf_token": token},
                           follow_redirects=True)
    assert "only submitted proposals are screened" in text(response)
    assert events("proposal.screened_out") == 0


def test_a_question_answered_with_a_file_without_reopening_the_proposal(app, call):
    proposal, applicant = _submitted(call)
    staff, owner = app.test_client(), app.test_client()
    sign_in(staff, "secretariat")
    page = f"/screening/proposals/{proposal.id}"
    post_form(staff, f"{page}/clarifications", {"question": "Who trains the officers?"}, page=page)
    clarification = db.session.scalars(select(Clarification)).one()
    mail = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "clarification")).one()
    assert mail.to_address == applicant.email and f"/proposals/{proposal.id}" in mail.body

    web_login(owner, applicant.email)
    assert "Who trains the officers?" in text(owner.get("/screening/clarifications"))
    url = f"/screening/clarifications/{clarification.id}/answer"
    token = csrf_from(text(owner.get(url)))
    response = owner.post(url, data={"answer": "The national academy.", "csrf_token": token,
                                     "files": [(io.BytesIO(pdf_bytes()), "trainers.pdf")]},
                          content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.refresh(proposal)
    assert proposal.status == ProposalStatus.submitted
    attachment = db.session.scalars(select(Attachment).where(Attachment.clarification_id == clarification.id)).one()
    assert attachment.filename == "trainers.pdf" and attachment.media_type == "application/pdf"
    assert events("clarification.answered") == 1 and events("attachment.added") == 1

    shown = text(staff.get(page))
    assert "The national academy." in shown and f"/proposals/attachments/{attachment.id}" in shown
    with staff.get(f"/proposals/attachments/{attachment.id}") as download:
        assert download.status_code == 200 and download.get_data() == pdf_bytes()


def test_a_rejected_answer_file_keeps_nothing(app, call):
    proposal, applicant = _submitted(call)
    staff = app.test_client()
    sign_in(staff, "secretariat")
    page = f"/screening/proposals/{proposal.id}"
    post_form(staff, f"{page}/clarifications", {"question": "Your statutes?"}, page=page)
    clarification = db.session.scalars(select(Clarification)).one()
    owner = app.test_client()
    web_login(owner, applicant.email)
    url = f"/screening/clarifications/{clarification.id}/answer"
    token = csrf_from(text(owner.get(url)))
    response = owner.post(url, data={"answer": "Attached.", "csrf_token": token,
                                     "files": [(io.BytesIO(EXECUTABLE), "statutes.pdf")]},
                          content_type="multipart/form-data")
    assert response.status_code == 422 and "This kind of file is not accepted" in text(response)
    db.session.refresh(clarification)
    assert clarification.answer is None and db.session.scalar(select(func.count()).select_from(Attachment)) == 0


# --- organisations: documents and verification -----------------------------------------------

def test_members_upload_registration_documents_judged_by_their_bytes(client):
    applicant = sign_in(client, "applicant")
    token = csrf_from(text(client.get("/organisation")))
    response = client.post("/organisation/documents", data={"csrf_token": token,
                                                            "file": (io.BytesIO(pdf_bytes()), "Statuts signés.pdf")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "Statuts signés.pdf is uploaded" in text(response)
    document = db.session.scalars(select(OrganisationDocument)).one()
    assert document.organisation_id == applicant.organisation_id and document.media_type == "application/pdf"
    assert events("organisation.document_added") == 1
    with client.get(f"/organisation/documents/{document.id}") as download:
        assert download.status_code == 200 and download.get_data() == pdf_bytes()
        assert "filename*=UTF-8''Statuts%20sign%C3%A9s.pdf" in download.headers["Content-Disposition"]

    response = client.post("/organisation/documents", data={"csrf_token": token,
                                                            "file": (io.BytesIO(EXECUTABLE), "virus.pdf")},
                           content_type="multipart/form-data", follow_redirects=True)
    assert "This kind of file is not accepted" in text(response)
    assert db.session.scalar(select(func.count()).select_from(OrganisationDocument)) == 1


@pytest.mark.parametrize("role, status", [("secretariat", 200), ("admin", 200), ("applicant", 404),
                                          ("reviewer", 404), ("donor", 404)])
def test_registration_documents_are_for_members_and_the_secretariat(app, client, role, status):
    owner = app.test_client()
    member = sign_in(owner, "applicant")
    token = csrf_from(text(owner.get("/organisation")))
    owner.post("/organisation/documents", data={"csrf_token": token, "file": (io.BytesIO(pdf_bytes()), "c.pdf")},
               content_type="multipart/form-data")
    document = db.session.scalars(select(OrganisationDocument)).one()
    assert document.organisation_id == member.organisation_id
    sign_in(client, role)
    with client.get(f"/organisation/documents/{document.id}") as response:
        assert response.status_code == status


def test_anonymous_visitors_are_sent_to_log_in_for_a_document(client):
    org = OrganisationFactory()
    document = make_document(org, make_user("applicant", organisation=org))
    response = client.get(f"/organisation/documents/{document.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_secretariat_verifies_an_organisation_and_can_withdraw_it(client, call):
    proposal, _ = _submitted(call)
    org = proposal.organisation
    sign_in(client, "secretariat")
    page = f"/screening/proposals/{proposal.id}"
    response = post_form(client, f"/screening/organisations/{org.id}/verification?next={page}", {}, page=page)
    assert response.status_code == 302 and response.headers["Location"].endswith(page)
    db.session.refresh(org)
    assert org.verified_at is not None and events("organisation.verified") == 1
    assert "Withdraw verification" in text(client.get(page))
    post_form(client, f"/screening/organisations/{org.id}/verification", {}, page=page)  # again: no change
    assert events("organisation.verified") == 1
    response = post_form(client, f"/screening/organisations/{org.id}/verification/withdraw?next=//evil.example", {},
                         page=page)
    assert response.headers["Location"].endswith(f"/screening/organisations/{org.id}")
    db.session.refresh(org)
    assert org.verified_at is None and events("organisation.verification_withdrawn") == 1


# --- who may use the pages -------------------------------------------------------------------

@pytest.mark.parametrize("role, status", [("applicant", 403), ("reviewer", 403), ("donor", 403),
                                          ("secretariat", 200), ("admin", 200)])
def test_only_staff_use_the_intake_pages(client, call, role, status):
    proposal, _ = _submitted(call)
    sign_in(client, role)
    for url in ("/screening/", f"/screening/calls/{call.id}", f"/screening/calls/{call.id}/proposals.csv",
                f"/screening/proposals/{proposal.id}", f"/screening/organisations/{proposal.organisation_id}"):
        with client.get(url) as response:
            assert response.status_code == status, url


@pytest.mark.parametrize("role", ["applicant", "reviewer", "donor", "admin"])
def test_only_the_secretariat_screens_asks_and_verifies(client, call, role):
    proposal, _ = _submitted(call)
    sign_in(client, role)
    token = csrf_from(text(client.get("/profile")))
    for url, data in [(f"/screening/proposals/{proposal.id}/screen", {"decision": "eligible", "reason": "x"}),
                      (f"/screening/proposals/{proposal.id}/clarifications", {"question": "x"}),
                      (f"/screening/organisations/{proposal.organisation_id}/verification", {})]:
        assert client.post(url, data={**data, "csrf_token": token}).status_code == 403, url
    assert events("proposal.under_review") == 0 and events("clarification.asked") == 0


def test_admins_see_the_page_without_the_secretariats_forms(client, call):
    proposal, _ = _submitted(call)
    sign_in(client, "admin")
    page = text(client.get(f"/screening/proposals/{proposal.id}"))
    assert "Licensing in Kenya" in page and 'data-testid="screening-form"' not in page
    assert "Verify the organisation" not in page


def test_anonymous_visitors_are_sent_to_log_in(client, call):
    for url in (f"/screening/calls/{call.id}", "/screening/clarifications"):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_answer_page_is_404_for_another_organisation_and_403_for_staff(app, client, call):
    proposal, _ = _submitted(call)
    clarification = ClarificationFactory(proposal=proposal, question="Why?")
    url = f"/screening/clarifications/{clarification.id}/answer"
    sign_in(client, "applicant")
    assert client.get(url).status_code == 404
    assert "Why?" not in text(client.get("/screening/clarifications"))
    staff = app.test_client()
    sign_in(staff, "secretariat")
    assert staff.get(url).status_code == 403


def test_the_screening_page_of_a_deleted_proposal_is_404(client, call):
    org = OrganisationFactory()
    proposal = make_proposal(call, org, make_user("applicant", organisation=org), deleted=True)
    sign_in(client, "secretariat")
    assert client.get(f"/screening/proposals/{proposal.id}").status_code == 404
    assert client.get("/screening/calls/999999").status_code == 404
