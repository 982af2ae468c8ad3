"""Only funded projects ever appear in the portfolio, to anyone: never drafts, proposals
under review, rejected, withdrawn or screened out, nor anything of a review or a budget."""
import pytest

from tests.builders import funded, proposals_under_review
from tests.factories import ProposalFactory, make_user, owner_of
from tests.helpers import bearer, web_login
from tests.portfolio.conftest import API, approve
from unscar.decisions import recording
from unscar.extensions import db
from unscar.proposals import services as proposals


def _unfunded():
    """A draft, a screened-out, a withdrawn, a rejected and an under-review proposal."""
    draft = ProposalFactory(title="Zanzibar draft")
    screened = ProposalFactory(screened_out=True, title="Zanzibar screened")
    _call, (withdrawn, rejected, waiting) = proposals_under_review(3, title="Zanzibar under review")
    proposals.withdraw_proposal(owner_of(withdrawn), withdrawn, "Later.")
    staff = make_user("secretariat")
    funded(staff=staff)
    recording.record_decision(staff, rejected, "rejected", None, "No.", "SPG-1")
    db.session.commit()
    return [draft, screened, withdrawn, rejected, waiting]


def test_only_grants_and_history_appear_anywhere(client, history):
    hidden = _unfunded()
    grant = approve(1)[0]
    items = client.get(f"{API}/projects?per_page=100").get_json()["items"]
    assert {item["reference"] for item in items} >= {grant.proposal.reference}
    assert not {p.reference for p in hidden} & {item["reference"] for item in items}
    assert len(items) == 40 and client.get(API).get_json()["projects"] == 40
    for proposal in hidden:
        assert client.get(f"{API}/projects/{proposal.reference}").status_code == 404
        assert client.get(f"/portfolio/projects/{proposal.reference}").status_code == 404
    for path in ("export.csv", "iati.xml", "360giving.json"):
        assert "Zanzibar" not in client.get(f"{API}/{path}").get_data(as_text=True)
    assert "Zanzibar" not in client.get("/portfolio/projects?per_page=100").get_data(as_text=True)


def test_the_public_record_holds_no_review_budget_lines_or_people(client):
    grant = approve(1)[0]
    record = client.get(f"{API}/projects/{grant.proposal.reference}").get_json()
    assert set(record) == {"reference", "title", "summary", "organisation", "year", "call_id", "countries", "regions",
                           "themes", "activity_types", "instruments", "gender_marker", "approved_usd",
                           "disbursed_usd", "spent_usd", "start_date", "end_date", "status", "source"}
    assert record["approved_usd"] == str(grant.approved_usd)


@pytest.mark.parametrize("role", [None, "applicant", "reviewer", "donor", "secretariat"])
def test_anyone_reads_the_portfolio_pages_and_api(app, role):
    grant = approve(1)[0]
    client = app.test_client()
    headers = {}
    if role:
        user = make_user(role)
        web_login(client, user.email)
        headers = bearer(client, user)
    assert client.get(API, headers=headers).status_code == 200
    for url in ("/portfolio/", "/portfolio/projects", f"/portfolio/projects/{grant.proposal.reference}"):
        page = client.get(url)
        assert page.status_code == 200
        if url != "/portfolio/":
            assert grant.proposal.title in page.get_data(as_text=True)


def test_a_bad_token_is_401_not_an_anonymous_read(client):
    assert client.get(API, headers={"Authorization": "Bearer nonsense"}).status_code == 401


def test_the_projects_are_paged_in_their_documented_order(client, history):
    first = client.get(f"{API}/projects?per_page=5").get_json()
    second = client.get(f"{API}/projects?per_page=5&page=2").get_json()
    assert first["total"] == 39 and [i["year"] for i in first["items"]] == [2016] * 5
    references = [i["reference"] for i in first["items"] + second["items"]]
    assert references == sorted(references[:10], key=lambda r: (-int(r[7:11]), r))
    assert client.get(f"{API}/projects?per_page=101").status_code == 422


def test_the_navigation_links_the_portfolio(client):
    assert 'href="/portfolio/"' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("reference", ["%00", "UNSCAR-2016-0001%00", "x" * 41])
def test_a_reference_no_project_can_have_is_a_404_on_both_channels(client, reference):
    # PostgreSQL refuses NUL in text: it must be turned away before the query, not answer 500.
    for url in (f"/portfolio/projects/{reference}", f"{API}/projects/{reference}"):
        assert client.get(url).status_code == 404, url
