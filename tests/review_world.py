"""A call in review with proposals under review, for the review tests."""
from tests.factories import CallFactory, make_user
from tests.proposal_data import budget_json, proposal_json
from unscar.api.io import load
from unscar.calls.models import CallStatus
from unscar.extensions import db
from unscar.proposals import services as proposals
from unscar.screening import services as screening
from unscar.proposals.schemas import BudgetInSchema, ProposalInSchema


def proposals_under_review(count: int, call=None, **overrides):
    """`count` proposals from distinct organisations, screened eligible; the call then in review."""
    call = call or CallFactory()
    staff = make_user("secretariat")
    result = []
    for _ in range(count):
        owner = make_user("applicant")
        proposal = proposals.create_proposal(owner, call, load(ProposalInSchema(), proposal_json(**overrides)))
        proposals.replace_budget(owner, proposal, load(BudgetInSchema(), budget_json())["lines"])
        proposals.submit_proposal(owner, proposal)
        screening.screen_proposal(staff, proposal, "eligible", "Eligible.")
        result.append(proposal)
    call.status = CallStatus.in_review
    db.session.commit()
    return call, result
