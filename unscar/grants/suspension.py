"""Suspending a grant and resuming it (API.md "POST /grants/{id}/status"), through the one
writer of its status (status.change_grant_status).

Resuming returns a grant to `extended` when a no-cost extension of it was approved, else
to `active`. A closed grant can do neither (409), nor can a grant be suspended twice or
resumed when it is not suspended.
"""
from ..errors import InvalidTransition, PermissionDenied, ValidationFailed
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
        raise PermissionDenied("Only the secretariat suspends or resumes a grant.")
    if status not in CHOICES:
        raise ValidationFailed("A grant is suspended or made active.",
                               errors={"status": ["Give \"suspended\" or \"active\"."]})
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > REASON_MAX:
        raise ValidationFailed("Give the reason.", errors={"reason": [f"Give the reason (at most {REASON_MAX} "
                                                                     "characters)."]})
    grant = lock_grant(grant)
    if status == "suspended":
        change_grant_status(actor, grant, GrantStatus.suspended, reason, action="grant.suspended")
        return grant
    if grant.status is not GrantStatus.suspended:
        raise InvalidTransition(f"This grant is {grant.status.value}, not suspended: there is nothing to resume.")
    new = GrantStatus.extended if was_extended(grant) else GrantStatus.active
    change_grant_status(actor, grant, new, reason, action="grant.resumed")
    return grant
