"""Grants made the real way (a proposal approved through the decisions part, its money
committed from a funded fund), and report states set directly: filing and reviewing
reports are another part's services."""
from decimal import Decimal

from sqlalchemy import select

from tests.builders import funded, proposals_under_review
from tests.factories import make_user
from unscar.accounts.models import User
from unscar.decisions import recording
from unscar.extensions import db
from unscar.grants.models import Grant, ReportKind, ReportLine, ReportStage, ReportStatus


def approved_grant(amount: str | None = "10000.05", staff=None) -> tuple[Grant, User]:
    """A grant of `amount` (None: the whole request) approved by the secretariat user
    `staff` (made when not given)."""
    _call, (proposal,) = proposals_under_review(1)
    staff = staff or make_user("secretariat")
    funded(staff=staff)
    approved = proposal.requested_usd if amount is None else Decimal(amount)
    grant = recording.record_decision(staff, proposal, "approved", approved, "Approved.", "SPG-1").grant
    db.session.commit()
    return grant, staff


def grantee(grant: Grant) -> User:
    return db.session.scalars(select(User).where(User.organisation_id == grant.organisation_id)).first()


def set_reports(grant: Grant, stage: ReportStage, status: ReportStatus, kinds=tuple(ReportKind)) -> None:
    """Put the grant's scheduled reports of `stage` (and `kinds`) in `status`."""
    for report in grant.reports:
        if report.stage is stage and report.kind in kinds:
            report.status = status
    db.session.commit()


def spend(grant: Grant, amount: str, category=None) -> None:
    """Spending reported in the interim financial report (filed), and in the ledger."""
    from unscar.funds.services import record_expenditure

    report = next(r for r in grant.reports if r.stage is ReportStage.interim and r.kind is ReportKind.financial)
    report.status = ReportStatus.submitted
    report.lines.append(ReportLine(category=category or grant.budget_lines[0].category, amount_usd=Decimal(amount)))
    record_expenditure(make_user("secretariat"), grant.id, Decimal(amount), grant.start_date)
    db.session.commit()
