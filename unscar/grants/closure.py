"""Closing a grant (API.md "POST /grants/{id}/close"; DESIGN.md "Closure").

An active or extended grant goes straight to closed (a suspended one is resumed first),
and only once its final reports are accepted and no report awaits review, which is
checked before the refund: the final reports are the financial and the narrative report
whose period ends on the grant's end date (or, for a grant without dates, the
latest-ending ones). Closing early is allowed: the grantee files its final reports with
the period up to the end date ahead of time (periods ahead of today are allowed), and
once they are accepted the grant may close before its end.

The grantee's unspent cash (disbursed − spent) may come back as a refund, never more; the
undisbursed rest of the commitment is released. Both are ledger entries, so the fund's
available balance grows by refund + release. A closed grant stays readable.
"""
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _, ngettext

from ..dates import utcnow
from ..errors import InvalidTransition, PermissionDenied, ValidationFailed
from ..funds.services import grant_figures, record_refund, release_commitment
from ..money import MoneyError, format_money, group_money, parse_money
from .labels import status_label
from .models import Grant, GrantStatus, ReportKind, ReportStatus
from .permissions import can_manage_grant
from .queries import lock_grant
from .status import change_grant_status

ZERO = Decimal("0.00")
CLOSABLE = (GrantStatus.active, GrantStatus.extended)


def final_period_end(grant: Grant) -> date | None:
    return grant.end_date or max((r.period_end for r in grant.reports), default=None)


def closure_refusal(grant: Grant) -> str | None:
    """Why the grant cannot close now, or None: its state, a report awaiting review, or a
    final report not accepted."""
    if grant.status not in CLOSABLE:
        return _("This grant is %(status)s: only an active or extended grant can be closed.",
                 status=status_label(grant.status.value))
    awaiting = [r for r in grant.reports if r.status is ReportStatus.submitted]
    if awaiting:
        return ngettext("%(num)d report of this grant awaits review: accept or return it first.",
                        "%(num)d reports of this grant await review: accept or return them first.", len(awaiting))
    end = final_period_end(grant)
    for kind in ReportKind:
        if not any(r.kind is kind and r.period_end == end and r.status is ReportStatus.accepted
                   for r in grant.reports):
            return (_("The final financial report (its period ending %(end)s) is not accepted yet.", end=end)
                    if kind is ReportKind.financial
                    else _("The final narrative report (its period ending %(end)s) is not accepted yet.", end=end))
    return None


def refundable_usd(figures: dict) -> Decimal:
    """What the grantee holds unspent: disbursed − spent − already refunded, not below zero."""
    return max(figures["disbursed_usd"] - figures["spent_usd"] - figures["refunded_usd"], ZERO)


def _refund(value) -> Decimal:
    try:
        return parse_money(value)
    except MoneyError as error:
        raise ValidationFailed(str(error), errors={"refund_usd": [str(error)]}) from None


def close_grant(actor, grant: Grant, refund_usd, on: date | None = None) -> Grant:
    """Close the grant (the secretariat's): 409 unless closure_refusal is None; a refund
    above what the grantee holds unspent is 422. Records the refund, releases the
    undisbursed commitment and sets closed_at, with audit events."""
    if not can_manage_grant(actor):
        raise PermissionDenied(_("Only the secretariat closes a grant."))
    refund = _refund(refund_usd)
    on = on or utcnow().date()
    grant = lock_grant(grant)
    refusal = closure_refusal(grant)
    if refusal:
        raise InvalidTransition(refusal)
    figures = grant_figures(grant.id)
    unspent = refundable_usd(figures)
    if refund > unspent:
        message = _("The grantee holds USD %(unspent)s unspent (disbursed − spent): the refund may not exceed it.",
                    unspent=group_money(unspent))
        raise ValidationFailed(message, errors={"refund_usd": [message]})
    undisbursed = figures["committed_usd"] + figures["refunded_usd"] - figures["disbursed_usd"]
    if refund > 0:
        record_refund(actor, grant.id, refund, on)
    if undisbursed > 0:
        release_commitment(actor, grant.id, undisbursed, on)
    change_grant_status(actor, grant, GrantStatus.closed, action="grant.closed",
                        facts={"refund_usd": format_money(refund), "released_usd": format_money(max(undisbursed, ZERO))})
    grant.closed_at = utcnow()
    return grant
