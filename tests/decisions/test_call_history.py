"""A decided call's page tells what happened: the dates, the proposals at each stage and
the money, each role seeing what DESIGN.md's visibility table lets it see: anyone the
funded projects (public in the portfolio), donors also the reviewed proposals, the
secretariat also what never reached the review."""
from decimal import Decimal

import lxml.html
import pytest

from tests.builders import funded
from tests.factories import CallFactory, ProposalFactory, make_user, put_in_review
from tests.helpers import web_login
from unscar.calls import services as calls
from unscar.decisions import recording
from unscar.extensions import db
from unscar.proposals import services as proposals


@pytest.fixture
def decided_call():
    """Five proposals: one screened out, one withdrawn before screening, three reviewed
    (two approved, for less than asked; one rejected); then the call is decided."""
    staff = make_user("secretariat")
    funded(staff=staff)
    call = CallFactory(envelope_usd=Decimal("1000000.00"))
    ProposalFactory(call=call, screened_out=True)
    applicant = make_user("applicant")
    proposals.withdraw_proposal(applicant, ProposalFactory(call=call, owner=applicant, submitted=True), "Too late.")
    reviewed = [ProposalFactory(call=call, under_review=True, with_budget=True) for _ in range(3)]
    put_in_review(call)
    recording.record_decision(staff, reviewed[0], "approved", Decimal("10000.00"), "Approved.", "SPG-1")
    recording.record_decision(staff, reviewed[1], "approved", Decimal("5000.50"), "Approved.", "SPG-1")
    recording.record_decision(staff, reviewed[2], "rejected", None, "Not this year.", "SPG-1")
    calls.change_status(staff, call, "decided")
    db.session.commit()
    return call, reviewed


def history_of(client, call) -> dict:
    response = client.get(f"/calls/{call.id}")
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.get_data(as_text=True))
    rows = tree.xpath('//*[@data-testid="call-history"]//tbody/tr')
    return {row.get("data-testid").removeprefix("history-"):
            " ".join(" ".join(cell.text_content().split()) for cell in row if cell.text_content().strip())
            for row in rows}


def as_role(app, role):
    client = app.test_client()
    if role:
        web_login(client, make_user(role).email)
    return client


def test_anyone_sees_the_dates_and_the_funded_projects_only(app, decided_call):
    call, _ = decided_call
    for role in (None, "applicant", "reviewer"):
        history = history_of(as_role(app, role), call)
        assert history == {"approved": "Funded 2 15,000.50 approved"}, role
    page = as_role(app, None).get(f"/calls/{call.id}").get_data(as_text=True)
    assert "1.5% of it approved" in page and f"/portfolio/projects?call_id={call.id}" in page
    assert "Call decided" in page and "Decisions recorded" in page and "In review from" not in page


def test_donors_also_see_the_reviewed_proposals_and_what_they_asked(app, decided_call):
    call, reviewed = decided_call
    requested = sum((p.requested_usd for p in reviewed), Decimal("0.00"))
    history = history_of(as_role(app, "donor"), call)
    assert history == {"reviewed": f"Passed screening and reviewed 3 {requested:,.2f} requested",
                       "rejected": "Not funded 1", "approved": "Funded 2 15,000.50 approved"}


@pytest.mark.parametrize("role", ["secretariat", "admin"])
def test_the_staff_also_see_what_never_reached_the_review(app, decided_call, role):
    call, _ = decided_call
    history = history_of(as_role(app, role), call)
    assert (history["submitted"], history["screened-out"], history["withdrawn"]) == (
        "Submitted 5", "Screened out 1", "Withdrawn 1")
    assert history["reviewed"].startswith("Passed screening and reviewed 3")


def test_an_archived_call_keeps_its_history_and_a_call_in_review_shows_none(app, decided_call):
    call, _ = decided_call
    calls.change_status(make_user("secretariat"), call, "archived")
    db.session.commit()
    page = as_role(app, "donor").get(f"/calls/{call.id}").get_data(as_text=True)
    assert "Archived" in page and 'data-testid="call-history"' in page
    reviewing = put_in_review(CallFactory())
    assert 'data-testid="call-history"' not in as_role(app, "secretariat").get(
        f"/calls/{reviewing.id}").get_data(as_text=True)


def test_the_history_costs_as_many_statements_for_many_proposals(app, count_statements):
    staff = make_user("secretariat")
    funded(staff=staff)

    def decided(count):
        call = CallFactory()
        for each in [ProposalFactory(call=call, under_review=True) for _ in range(count)]:
            recording.record_decision(staff, each, "rejected", None, "No.", "SPG")
        put_in_review(call)
        calls.change_status(staff, call, "decided")
        db.session.commit()
        return call

    client = as_role(app, "secretariat")
    small, large = decided(1), decided(5)
    with count_statements() as few:
        history_of(client, small)
    with count_statements() as many:
        assert history_of(client, large)["rejected"] == "Not funded 5"
    assert len(many) == len(few)
