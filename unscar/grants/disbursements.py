"""Paying a grant: disbursements against its tranches (API.md "POST /grants/{id}/disbursements").

Any amount up to what is due now; beyond that, up to the approved amount, only with the
secretariat's reason (kept on the disbursement and in the audit event); never beyond the
approved amount. The checks run under the fund's and the grant's locks (queries.lock_grant)
and the ledger entry is written under the same locks (funds.services.record_disbursement),
so two payments at the same moment cannot both pass on the same room.
"""
from datetime import date

from flask_babel import gettext as _

from ..audit.services import record_event
from ..dates import utcnow
from ..errors import Conflict, InvalidTransition, PermissionDenied, ValidationFailed
from ..extensions import db
from ..funds.services import record_disbursement
from ..funds.validation import check_amount, check_date
from ..money import group_money
from .labels import status_label
from .models import Disbursement, Grant, GrantStatus
from .permissions import can_manage_grant
from .queries import lock_grant
from .tranches import disbursed_usd, due_now_usd

REASON_MAX = 2000
PAYABLE = (GrantStatus.active, GrantStatus.extended)


def _reason(value) -> str | None:
    reason = value.strip() if isinstance(value, str) else None
    if reason and len(reason) > REASON_MAX:
        raise ValidationFailed(_("The reason is too long."),
                               errors={"override_reason": [_("At most %(max)d characters.", max=REASON_MAX)]})
    return reason or None


def disburse(actor, grant: Grant, amount, on: date, override_reason: str | None = None) -> Disbursement:
    """Pay `amount` to the grantee on `on`: the secretariat only, an active or extended
    grant only (409 otherwise); up to what is due now, beyond it only with a reason, never
    beyond the approved amount (409). Writes the disbursement, its ledger entry and an
    audit event naming what was due."""
    if not can_manage_grant(actor):
        raise PermissionDenied(_("Only the secretariat records disbursements."))
    amount, on = check_amount(amount, "amount_usd"), check_date(on)
    reason = _reason(override_reason)
    grant = lock_grant(grant)
    if grant.status not in PAYABLE:
        raise InvalidTransition(_("This grant is %(status)s: nothing can be disbursed on it.",
                                  status=status_label(grant.status.value)))
    paid = disbursed_usd(grant)
    if paid + amount > grant.approved_usd:
        raise Conflict(_("USD %(paid)s of the approved USD %(approved)s is already disbursed: at most USD %(left)s "
                         "more can be paid.", paid=group_money(paid), approved=group_money(grant.approved_usd),
                         left=group_money(grant.approved_usd - paid)))
    due = due_now_usd(grant, utcnow().date())
    if amount > due and not reason:
        raise Conflict(_("USD %(due)s is due now; paying more needs a reason (override_reason).",
                         due=group_money(due)))
    record_disbursement(actor, grant.id, amount, on)
    disbursement = Disbursement(grant=grant, amount_usd=amount, paid_on=on, created_by_id=actor.id,
                                override_reason=reason if amount > due else None)
    db.session.add(disbursement)
    db.session.flush()
    record_event(actor, "grant.disbursed", grant, after={
        "disbursement_id": disbursement.id, "amount_usd": amount, "on": on, "due_usd": due,
        **({"override_reason": reason} if amount > due else {})})
    return disbursement
