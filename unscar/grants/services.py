"""Making a grant from an approved proposal. The decision that approves it calls
create_grant in its own transaction (decisions/recording.py); the fund commits the money
by the grant's id."""
from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from ..audit.services import record_event
from ..extensions import db
from ..money import round_cents
from ..proposals.models import Proposal
from .models import Grant, GrantBudgetLine
from .schedule import default_tranches, scheduled_reports


def scaled_amounts(amounts: list[Decimal], total: Decimal) -> list[Decimal]:
    """`amounts` scaled to sum to `total` exactly: each rounded half-up to cents, the
    rounding's remainder on the largest line (the first of equals)."""
    whole = sum(amounts, Decimal("0"))
    if not amounts or whole == total:
        return list(amounts)
    scaled = [round_cents(amount * total / whole) for amount in amounts]
    largest = max(range(len(amounts)), key=lambda i: (amounts[i], -i))
    scaled[largest] += total - sum(scaled, Decimal("0"))
    return scaled


def agreement_number(proposal: Proposal) -> str:
    """UNSCAR-2026-0017 becomes the agreement UNSCAR-GA-2026-0017: one grant per proposal."""
    return proposal.reference.replace("UNSCAR-", "UNSCAR-GA-", 1)


def create_grant(actor, proposal: Proposal, approved_usd: Decimal) -> Grant:
    """The grant of an approved proposal: its budget lines scaled to the approved amount,
    dates from the proposal's start and duration, the default tranches and the reports it
    owes (schedule.py), status active. The caller (recording the decision) checked who may
    and commits the money."""
    lines = list(proposal.budget_lines)
    amounts = scaled_amounts([line.amount_usd for line in lines], approved_usd)
    start = proposal.start_date
    end = start + relativedelta(months=proposal.duration_months) - timedelta(days=1) \
        if start and proposal.duration_months else None
    grant = Grant(proposal=proposal, organisation_id=proposal.organisation_id, approved_usd=approved_usd,
                  agreement_number=agreement_number(proposal), start_date=start, end_date=end,
                  created_by_id=actor.id,
                  budget_lines=[GrantBudgetLine(position=i, category=line.category, description=line.description,
                                                year=line.year, amount_usd=amount)
                                for i, (line, amount) in enumerate(zip(lines, amounts))],
                  tranches=default_tranches(approved_usd), reports=scheduled_reports(start, end))
    db.session.add(grant)
    db.session.flush()
    record_event(actor, "grant.created", grant, after={"proposal_id": proposal.id, "approved_usd": approved_usd,
                                                       "agreement_number": grant.agreement_number})
    return grant


def agreement_numbers(grant_ids) -> dict[int, str]:
    """{grant id: agreement number}, for the parts below that know grants only by id. One query."""
    ids = list(grant_ids)
    if not ids:
        return {}
    return dict(db.session.execute(select(Grant.id, Grant.agreement_number).where(Grant.id.in_(ids))).all())
