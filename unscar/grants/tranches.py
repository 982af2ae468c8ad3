"""What each tranche of a grant is now, and the secretariat's changes to the schedule.

A tranche is due on approval (approval records the signed agreement), once the interim
financial and narrative reports are both accepted, or from its date. Disbursements pay
the tranches in order, whatever each was paid against, so a tranche is paid, partly
paid, due (due and unpaid) or pending (not due yet). What may be paid now without a
reason is the due tranches' total less what was disbursed (disbursements.py).
"""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _

from ..audit.services import record_event
from ..errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from ..extensions import db
from ..money import MoneyError, group_money, parse_money
from .models import Grant, GrantStatus, ReportKind, ReportStage, ReportStatus, Tranche, TrancheCondition
from .permissions import can_manage_grant
from .queries import lock_grant

ZERO = Decimal("0.00")
MAX_TRANCHES = 20


@dataclass(frozen=True)
class TrancheState:
    tranche: Tranche
    is_due: bool
    paid_usd: Decimal

    @property
    def status(self) -> str:
        if self.paid_usd >= self.tranche.amount_usd:
            return "paid"
        if self.paid_usd > 0:
            return "partly_paid"
        return "due" if self.is_due else "pending"


def interim_accepted(grant: Grant) -> bool:
    """Both interim reports, financial and narrative, exist and are accepted."""
    interim = [r for r in grant.reports if r.stage is ReportStage.interim]
    return all(any(r.kind is kind for r in interim) and all(r.status is ReportStatus.accepted
                                                            for r in interim if r.kind is kind)
               for kind in ReportKind)


def is_due(tranche: Tranche, today: date, interim_ok: bool) -> bool:
    if tranche.condition is TrancheCondition.on_approval:
        return True
    if tranche.condition is TrancheCondition.on_interim_acceptance:
        return interim_ok
    return tranche.due_on is not None and tranche.due_on <= today


def disbursed_usd(grant: Grant) -> Decimal:
    return sum((d.amount_usd for d in grant.disbursements), ZERO)


def tranche_states(grant: Grant, today: date) -> list[TrancheState]:
    """Each tranche in order with whether it is due and what the disbursements paid of it."""
    interim_ok = interim_accepted(grant)
    left = disbursed_usd(grant)
    states = []
    for tranche in grant.tranches:
        paid = min(left, tranche.amount_usd)
        left -= paid
        states.append(TrancheState(tranche, is_due(tranche, today, interim_ok), paid))
    return states


def due_now_usd(grant: Grant, today: date) -> Decimal:
    """The due tranches' total less what was disbursed, never below zero."""
    due = sum((s.tranche.amount_usd for s in tranche_states(grant, today) if s.is_due), ZERO)
    return max(due - disbursed_usd(grant), ZERO)


def _checked_rows(grant: Grant, rows: list[dict]) -> list[Tranche]:
    """Tranches from [{"amount_usd", "condition", "date"?}], or ValidationFailed naming
    `tranches.<i>.<field>`; together they must make the approved amount exactly."""
    if not isinstance(rows, list) or not 1 <= len(rows) <= MAX_TRANCHES:
        message = _("Give between 1 and %(max)d tranches.", max=MAX_TRANCHES)
        raise ValidationFailed(message, errors={"tranches": [message]})
    errors: dict[str, list[str]] = {}
    tranches = []
    for i, row in enumerate(rows):
        try:
            amount = parse_money(row.get("amount_usd"))
        except MoneyError as error:
            errors[f"tranches.{i}.amount_usd"] = [str(error)]
            amount = ZERO
        if amount <= 0 and f"tranches.{i}.amount_usd" not in errors:
            errors[f"tranches.{i}.amount_usd"] = [_("A tranche is greater than zero.")]
        try:
            condition = TrancheCondition(row.get("condition"))
        except ValueError:
            errors[f"tranches.{i}.condition"] = [_("Give on_approval, on_interim_acceptance or on_date.")]
            continue
        on = row.get("date")
        if condition is TrancheCondition.on_date and not isinstance(on, date):
            errors[f"tranches.{i}.date"] = [_("A tranche due on a date needs its date (YYYY-MM-DD).")]
        tranches.append(Tranche(position=i, amount_usd=amount, condition=condition,
                                due_on=on if condition is TrancheCondition.on_date else None))
    total = sum((t.amount_usd for t in tranches), ZERO)
    if not errors and total != grant.approved_usd:
        errors["tranches"] = [_("The tranches make USD %(total)s; they must make the approved USD %(approved)s "
                                "exactly.", total=group_money(total), approved=group_money(grant.approved_usd))]
    if errors:
        raise ValidationFailed(_("The tranche schedule is not valid."), errors=errors)
    return tranches


def _described(tranches) -> list[dict]:
    return [{"amount_usd": t.amount_usd, "condition": t.condition, "date": t.due_on} for t in tranches]


def set_tranches(actor, grant: Grant, rows: list[dict]) -> Grant:
    """Replace the grant's tranche schedule (the secretariat's, before the first
    disbursement, while the grant is open); the tranches must make the approved amount."""
    if not can_manage_grant(actor):
        raise PermissionDenied(_("Only the secretariat sets a grant's tranches."))
    grant = lock_grant(grant)
    tranches = _checked_rows(grant, rows)
    if grant.status is GrantStatus.closed:
        raise InvalidTransition(_("This grant is closed: its schedule can no longer change."))
    if grant.disbursements:
        raise Conflict(_("Money has been disbursed on this grant: its tranche schedule can no longer change."))
    before = _described(grant.tranches)
    grant.tranches.clear()
    db.session.flush()  # the old rows go before the new ones take their positions
    grant.tranches.extend(tranches)
    db.session.flush()
    record_event(actor, "grant.tranches_set", grant, before={"tranches": before},
                 after={"tranches": _described(tranches)})
    return grant
