"""What happened in a decided or archived call, for its page: the dates, how many
proposals reached each stage, the money asked for and approved. Each role gets what
DESIGN.md's visibility table lets it see:

- anyone: the dates and the funded projects (count and USD approved): the portfolio
  publishes them project by project anyway;
- donors: also the proposals that reached the review (under review or later), their
  outcome and what they asked for, as the donors see those proposals one by one;
- the secretariat and admins: also what never reached the review (submitted, screened
  out, withdrawn), which donors do not see.

Three statements whatever the number of proposals; no reviewer is named."""
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from ..audit.models import AuditEvent
from ..calls.models import Call, CallStatus
from ..extensions import db
from ..permissions import has_role
from ..proposals.models import Proposal, ProposalStatus
from ..proposals.permissions import DONOR_PROPOSAL_STATES
from ..roles import RANKING_ROLES, STAFF_ROLES
from .models import Decision, DecisionOutcome

HISTORY_STATES = (CallStatus.decided, CallStatus.archived)
_ZERO = Decimal("0.00")


@dataclass
class CallHistory:
    moved: dict[str, datetime]          # status -> when the call moved to it (in_review, decided, ...)
    first_decision: datetime | None
    last_decision: datetime | None
    approved: int
    approved_usd: Decimal
    # Donors and staff (None for the others):
    reviewed: int | None = None
    rejected: int | None = None
    undecided: int | None = None        # reached the review, withdrawn or left without a decision
    reviewed_requested_usd: Decimal | None = None
    # Staff only (None for the others):
    submitted: int | None = None
    screened_out: int | None = None
    withdrawn: int | None = None
    envelope_usd: Decimal = field(default=_ZERO)

    @property
    def envelope_share(self) -> Decimal | None:
        """Per cent of the envelope approved, one decimal."""
        if not self.envelope_usd:
            return None
        return (self.approved_usd / self.envelope_usd * 100).quantize(Decimal("0.1"))


def call_history(user, call: Call) -> CallHistory | None:
    """The call's history as `user` may see it; None before the call is decided."""
    if call.status not in HISTORY_STATES:
        return None
    decisions = db.session.execute(
        select(Decision.outcome, Decision.approved_usd, Decision.decided_at)
        .join(Proposal, Proposal.id == Decision.proposal_id).where(Proposal.call_id == call.id)).all()
    approved = [row for row in decisions if row.outcome == DecisionOutcome.approved]
    times = [row.decided_at for row in decisions]
    history = CallHistory(moved=_moves(call), first_decision=min(times, default=None),
                          last_decision=max(times, default=None), approved=len(approved),
                          approved_usd=sum((row.approved_usd or _ZERO for row in approved), _ZERO),
                          envelope_usd=call.envelope_usd)
    if has_role(user, *RANKING_ROLES):
        _add_counts(history, call, staff=has_role(user, *STAFF_ROLES))
    return history


def _moves(call: Call) -> dict[str, datetime]:
    """When the call last moved to each status, from the audit log (call.status_changed)."""
    events = db.session.execute(
        select(AuditEvent.after, AuditEvent.at).where(AuditEvent.object_type == Call.__tablename__,
                                                      AuditEvent.object_id == call.id,
                                                      AuditEvent.action == "call.status_changed")
        .order_by(AuditEvent.id)).all()
    return {event.after["status"]: event.at for event in events if event.after and "status" in event.after}


def _add_counts(history: CallHistory, call: Call, staff: bool) -> None:
    rows = db.session.execute(select(Proposal.status, Proposal.requested_usd).where(
        Proposal.call_id == call.id, Proposal.deleted_at.is_(None), Proposal.status != ProposalStatus.draft)).all()
    reviewed = [row for row in rows if row.status in DONOR_PROPOSAL_STATES]
    history.reviewed = len(reviewed)
    history.rejected = sum(1 for row in reviewed if row.status == ProposalStatus.rejected)
    history.undecided = history.reviewed - history.rejected - sum(
        1 for row in reviewed if row.status == ProposalStatus.approved)
    history.reviewed_requested_usd = sum((row.requested_usd for row in reviewed), _ZERO)
    if staff:
        history.submitted = len(rows)
        history.screened_out = sum(1 for row in rows if row.status == ProposalStatus.screened_out)
        history.withdrawn = sum(1 for row in rows if row.status == ProposalStatus.withdrawn)
