"""The demo holds proposals in every state reached so far, and a working review panel."""
from sqlalchemy import func, select

from unscar.demo import load_demo
from unscar.extensions import db
from unscar.proposals.models import Proposal, ProposalStatus
from unscar.proposals.services import current_checks
from unscar.reviews.models import Assignment, AssignmentStatus, Review


def test_demo_proposals_and_reviews(app):
    assert load_demo() is True
    db.session.commit()
    states = dict(db.session.execute(select(Proposal.status, func.count()).group_by(Proposal.status)).all())
    assert set(states) == {ProposalStatus.draft, ProposalStatus.submitted, ProposalStatus.under_review,
                           ProposalStatus.screened_out, ProposalStatus.withdrawn, ProposalStatus.approved,
                           ProposalStatus.rejected}
    for proposal in db.session.scalars(select(Proposal).where(Proposal.status != ProposalStatus.draft)):
        assert current_checks(proposal)["eligible"], proposal.reference
        assert proposal.budget_lines and proposal.results and proposal.requested_usd > 0
    assignments = dict(db.session.execute(select(Assignment.status, func.count()).group_by(Assignment.status)).all())
    assert assignments[AssignmentStatus.conflicted] == 1 and assignments[AssignmentStatus.active] >= 18
    submitted = db.session.scalar(select(func.count()).select_from(Review).where(Review.submitted_at.is_not(None)))
    drafts = db.session.scalar(select(func.count()).select_from(Review).where(Review.submitted_at.is_(None)))
    assert submitted > drafts > 0
    from unscar.decisions.models import StoredRecommendation
    recommendation = db.session.scalars(select(StoredRecommendation)).one()
    assert recommendation.result["selected"] and recommendation.adopted_at is None


def test_demo_fund_looks_like_a_real_fund_of_this_size(app):
    """Donors in EUR, NOK, CHF and USD, about USD 1-2 million received a year since the first
    call of this system (2017; the years before are imported history),
    pledges not yet received, and every past call decided with grants that commit money."""
    from datetime import date

    from unscar.calls.models import Call, CallStatus
    from unscar.demo.calls import FIRST_YEAR
    from unscar.funds.models import Contribution, ContributionStatus
    from unscar.funds.services import fund_figures
    from unscar.grants.models import Grant

    load_demo()
    db.session.commit()
    currencies = set(db.session.scalars(select(Contribution.currency)))
    assert {"EUR", "NOK", "CHF", "USD"} <= currencies
    assert db.session.scalar(select(func.count()).select_from(Contribution)
                             .where(Contribution.status == ContributionStatus.pledged)) >= 1
    figures = fund_figures()
    years = date.today().year - FIRST_YEAR + 1
    assert 1_000_000 <= figures["received_usd"] / years <= 2_000_000
    assert 0 < figures["committed_usd"] < figures["programmable_usd"] and figures["available_usd"] > 0
    past = db.session.scalars(select(Call).where(Call.year < date.today().year)).all()
    assert past and all(call.status in (CallStatus.decided, CallStatus.archived) for call in past)
    assert db.session.scalar(select(func.count()).select_from(Grant)) >= len(past)


def test_demo_grants_are_in_every_state_a_secretariat_meets(app):
    """Grants closed with their refund, and, today, grants active, extended, suspended and
    closing (past their end); reports accepted, returned, awaiting review and overdue; a
    revision pending and others approved; tranches paid."""
    from datetime import date

    from unscar.funds.services import grant_figures
    from unscar.grants.models import Disbursement, Grant, GrantStatus, Report, Revision, RevisionStatus
    from unscar.grants.status import display_status

    load_demo()
    db.session.commit()
    today = date.today()
    grants = db.session.scalars(select(Grant)).all()
    shown = {display_status(grant, today) for grant in grants}
    assert {"active", "extended", "suspended", "closing", "closed"} <= shown
    closed = [grant for grant in grants if grant.status is GrantStatus.closed]
    refunds = [grant_figures(grant.id)["refunded_usd"] for grant in closed]
    assert closed and all(refund > 0 for refund in refunds)
    report_states = {report.display_status(today) for report in db.session.scalars(select(Report))}
    assert {"accepted", "returned", "submitted", "overdue", "due"} <= report_states
    assert {RevisionStatus.pending, RevisionStatus.approved} <= set(db.session.scalars(select(Revision.status)))
    assert db.session.scalar(select(func.count()).select_from(Disbursement)) > len(closed)
