"""Helpers for the applicant's proposal pages' tests (their fixtures are in conftest.py)."""
from tests.factories import ProposalFactory
from tests.helpers import post_form
from unscar.extensions import db
from unscar.proposals import services
from unscar.proposals.models import Proposal


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


def budget_post(lines: list[dict]) -> dict:
    data = {}
    for index, line in enumerate(lines):
        data.update({f"lines-{index}-{key}": str(value) for key, value in line.items()})
    return data
