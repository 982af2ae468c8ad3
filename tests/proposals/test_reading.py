"""Who reads a proposal on the applicant's pages (404 for other organisations and for
reviewers, read-only for staff), the printable view, the list and the secretariat's questions."""
from tests.bodies import proposal_json
from tests.factories import AssignmentFactory, CallFactory, ClarificationFactory, ProposalFactory, make_user, owner_of
from tests.files import pdf_bytes
from tests.helpers import csrf_from, web_login
from tests.proposals.pages import html, make_proposal, stored
from unscar.extensions import db
from unscar.proposals import services
from unscar.proposals.models import Proposal, ProposalStatus


# --- who reads a proposal -------------------------------------------------------------

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
