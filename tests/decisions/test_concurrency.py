"""Approvals recorded at the same moment, from several server processes, never over-commit
the fund: exactly as many succeed as the money allows, the others answer 409
(InsufficientFunds), never a 500, on SQLite and PostgreSQL."""
from decimal import Decimal

from sqlalchemy import func, select

from tests.builders import funded, proposals_under_review
from tests.factories import make_user
from tests.races import WORKERS, race
from unscar.accounts.models import User
from unscar.decisions import recording
from unscar.extensions import db
from unscar.funds.services import fund_figures
from unscar.grants.models import Grant
from unscar.proposals.models import Proposal, ProposalStatus

AMOUNT = Decimal("20000.00")


def test_concurrent_approvals_succeed_only_as_far_as_the_money_goes(app, make_app):
    _call, proposals = proposals_under_review(WORKERS)
    staff = make_user("secretariat")
    funded("69000.00", staff=staff)  # 60,030.00 programmable: room for three approvals of 20,000.00
    ids, staff_id = [p.id for p in proposals], staff.id

    def approve(i):
        recording.record_decision(db.session.get(User, staff_id), db.session.get(Proposal, ids[i]), "approved",
                                  AMOUNT, "Approved at the SPG meeting.", "SPG-1")

    outcomes = race(make_app, approve)
    db.session.rollback()
    assert sorted(outcomes) == ["InsufficientFunds"] * (WORKERS - 3) + ["ok"] * 3
    figures = fund_figures()
    assert figures["committed_usd"] == 3 * AMOUNT and figures["available_usd"] == Decimal("30.00")
    assert db.session.scalar(select(func.count()).select_from(Grant)) == 3
    approved = db.session.scalar(select(func.count()).select_from(Proposal)
                                 .where(Proposal.status == ProposalStatus.approved))
    assert approved == 3
