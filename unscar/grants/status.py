"""The one writer of a grant's status (STYLE.md "one writer per state").

active → extended (an approved no-cost extension) → closed, or suspended and back; closed
is final. `closing` is never stored: it only marks, on pages and in the API, a grant whose
end date has passed and that is not closed yet (display_status).
"""
from datetime import date

from flask_babel import gettext as _

from ..audit.services import record_event
from ..dates import utcnow
from ..errors import InvalidTransition
from .labels import status_label
from .models import Grant, GrantStatus

TRANSITIONS: dict[GrantStatus, set[GrantStatus]] = {
    GrantStatus.active: {GrantStatus.extended, GrantStatus.suspended, GrantStatus.closed},
    GrantStatus.extended: {GrantStatus.extended, GrantStatus.suspended, GrantStatus.closed},
    GrantStatus.suspended: {GrantStatus.active, GrantStatus.extended},
    GrantStatus.closed: set(),
}


def change_grant_status(actor, grant: Grant, new: GrantStatus, reason: str | None = None,
                        action: str = "grant.status_changed", facts: dict | None = None) -> None:
    """Move `grant` to `new` if the table allows it, with an audit event. The caller
    checked who may (the secretariat) and owns the transaction. `reason` is what a person
    typed; what the code knows goes in `facts` (figures, ids), which the grant's history
    writes in each reader's language: never a sentence made here."""
    old = grant.status
    if new not in TRANSITIONS.get(old, set()):
        raise InvalidTransition(_("A grant that is %(old)s cannot become %(new)s.", old=status_label(old.value),
                                  new=status_label(new.value)))
    grant.status = new
    record_event(actor, action, grant, before={"status": old.value},
                 after={"status": new.value, **({"reason": reason} if reason else {}), **(facts or {})})


def display_status(grant: Grant, today: date | None = None) -> str:
    """The status to show: `closing` for an open grant whose end date has passed (today
    by the application's clock when not given)."""
    today = today or utcnow().date()
    if grant.status in (GrantStatus.active, GrantStatus.extended) and grant.end_date and grant.end_date < today:
        return GrantStatus.closing.value
    return grant.status.value
