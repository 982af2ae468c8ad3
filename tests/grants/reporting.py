"""A real grant for the reporting tests: a proposal under review approved by the
secretariat (the decision commits the money and makes the grant with its scheduled
reports), its grantee and the secretariat user."""
from sqlalchemy import select

from tests.builders import funded, proposals_under_review
from tests.factories import make_user
from unscar.accounts.models import User
from unscar.decisions import recording
from unscar.extensions import db


def approved_grant():
    """(grant, grantee, staff): the grant of a new proposal approved in full."""
    _call, (proposal,) = proposals_under_review(1)
    staff = make_user("secretariat")
    funded(staff=staff)
    grant = recording.record_decision(staff, proposal, "approved", proposal.requested_usd, "Approved.", "SPG-1").grant
    db.session.commit()
    grantee = db.session.scalars(select(User).where(User.organisation_id == grant.organisation_id)).first()
    return grant, grantee, staff


def lines(**amounts) -> list[dict]:
    return [{"category": category, "amount_usd": amount} for category, amount in amounts.items()]
