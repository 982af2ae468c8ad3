"""Calls with several proposals, reviewers and reviews, and a fund with money, for the
review and decision tests."""
from datetime import date
from decimal import Decimal

from tests.factories import CallFactory, ProposalFactory, ReviewFactory, make_user, put_in_review
from unscar.extensions import db
from unscar.funds import services as funds
from unscar.reviews import assigning, panels


def funded(usd: str = "10000000.00", staff=None):
    """A donor's contribution received in USD, so the fund has `usd` less programme support
    costs to commit; returns the donor."""
    staff = staff or make_user("secretariat")
    donor = funds.create_donor(staff, "Kingdom of Norway", "NOR")
    funds.record_contribution(staff, donor, Decimal(usd), "USD", Decimal("1"), "received", date.today())
    db.session.commit()
    return donor


def proposals_under_review(count: int, call=None, **overrides):
    """`count` proposals from distinct organisations, screened eligible; the call then in review."""
    call = call or CallFactory()
    result = [ProposalFactory(call=call, under_review=True, **overrides) for _ in range(count)]
    return put_in_review(call), result


def reviewed_call(count: int, reviewers: list, per_proposal: int, marks=None, comment: str = "Clear.",
                  criterion_comment: str = "", **call_fields):
    """A call in review with `count` proposals, each reviewed by `per_proposal` of `reviewers`
    (assigned automatically, declarations signed). `marks(reviewer_index, proposal_index)`
    gives the scores by criterion position; (4, 3) by default."""
    call, proposals = proposals_under_review(count, call=CallFactory(reviewers_per_proposal=per_proposal,
                                                                     **call_fields))
    staff = make_user("secretariat")
    funded(staff=staff)  # the recommendation's cap is also the fund's available balance
    panels.set_panel(staff, call, [r.id for r in reviewers])
    created, short = assigning.auto_assign(staff, call)
    assert not short
    for reviewer in reviewers:
        panels.sign_declaration(reviewer, call)
    db.session.commit()
    position = {p.id: i for i, p in enumerate(proposals)}
    for assignment in created:
        chosen = marks(reviewers.index(assignment.reviewer), position[assignment.proposal_id]) if marks else (4, 3)
        ReviewFactory(assignment=assignment, submitted=True, marks=chosen, comment=comment,
                      criterion_comment=criterion_comment)
    return call, proposals, staff
