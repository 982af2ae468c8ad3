"""Suspending a grant and resuming it (API.md "POST /grants/{id}/status"), through the one
writer of its status (status.change_grant_status).

Resuming returns a grant to `extended` when a no-cost extension of it was approved, else
to `active`. A closed grant can do neither (409), nor can a grant be suspended twice or
resumed when it is not suspended.
"""
from flask_babel import gettext as _

from ..errors import InvalidTransition, PermissionDenied, ValidationFailed
from .labels import status_label
from .models import Grant, GrantStatus, RevisionStatus
from .permissions import can_manage_grant
from .queries import lock_grant
from .status import change_grant_status

REASON_MAX = 2000
CHOICES = ("suspended", "active")


def was_extended(grant: Grant) -> bool:
    return any(r.status is RevisionStatus.approved and r.end_date is not None for r in grant.revisions)


def set_suspension(actor, grant: Grant, status: str, reason: str) -> Grant:
    """Suspend (`status` "suspended") or resume ("active") the grant, with the
    secretariat's reason, kept in the audit event."""
    if not can_manage_grant(actor):
        raise PermissionDenied(_("Only the secretariat suspends or resumes a grant."))
    if status not in CHOICES:
        raise ValidationFailed(_("A grant is suspended or made active."),
                               errors={"status": [_("Give \"suspended\" or \"active\".")]})
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > REASON_MAX:
        raise ValidationFailed(_("Give the reason."), errors={"reason": [
            _("Give the reason (at most %(max)d characters).", max=REASON_MAX)]})
    grant = lock_grant(grant)
    if status == "suspended":
        change_grant_status(actor, grant, GrantStatus.suspended, reason, action="grant.suspended")
        return grant
    if grant.status is not GrantStatus.suspended:
        raise InvalidTransition(_("This grant is %(status)s, not suspended: there is nothing to resume.",
                                  status=status_label(grant.status.value)))
    new = GrantStatus.extended if was_extended(grant) else GrantStatus.active
    change_grant_status(actor, grant, new, reason, action="grant.resumed")
    return grant
