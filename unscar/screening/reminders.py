"""Reminder e-mails, sent by `flask --app wsgi unscar remind` (run it daily).

Each reminder function queues its mail through the outbox and records a SentReminder
row per object in the same transaction, so a reminder goes out once: a later run skips
what is recorded, and two runs at the same moment cannot both commit (the row is
unique per kind and object). Review reminders join REMINDERS the same way.
"""
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ..accounts.models import User
from ..audit.services import record_event
from ..calls.models import Call, CallStatus
from ..dates import utcnow
from ..extensions import db
from ..i18n import in_language_of
from ..links import external_url
from ..locking import acquire_write_lock
from ..outbox.services import queue_mail
from ..proposals.models import Proposal, ProposalStatus
from .models import SentReminder

DRAFT_DEADLINE = "draft_deadline"


def _already_sent(kind: str, object_type: str):
    return select(SentReminder.object_id).where(SentReminder.kind == kind, SentReminder.object_type == object_type)


def _members_by_organisation(organisation_ids) -> dict[int, list[User]]:
    members = {org_id: [] for org_id in organisation_ids}
    stmt = (select(User).where(User.organisation_id.in_(members), User.active.is_(True))
            .order_by(User.id))
    for user in db.session.scalars(stmt):
        members[user.organisation_id].append(user)
    return members


def due_drafts(now, days: int) -> list[Proposal]:
    """Drafts in open calls closing within `days` days, not reminded yet."""
    stmt = (select(Proposal).join(Proposal.call).options(contains_eager(Proposal.call))
            .where(Call.status == CallStatus.open, Call.opens_at <= now, Call.closes_at > now,
                   Call.closes_at <= now + timedelta(days=days),
                   Proposal.status == ProposalStatus.draft, Proposal.deleted_at.is_(None),
                   Proposal.id.not_in(_already_sent(DRAFT_DEADLINE, Proposal.__tablename__)))
            .order_by(Proposal.id))
    return list(db.session.scalars(stmt))


def remind_draft_deadlines(now=None, days: int | None = None) -> int:
    """Tell the members of each organisation with an unsubmitted draft that the call
    closes soon: one e-mail per member and draft, once per draft. Returns the drafts."""
    now = now or utcnow()
    days = current_app.config["REMIND_DAYS_BEFORE_DEADLINE"] if days is None else days
    acquire_write_lock()
    drafts = due_drafts(now, days)
    members = _members_by_organisation({p.organisation_id for p in drafts})
    for proposal in drafts:
        recipients = members[proposal.organisation_id]
        link = external_url("proposals.detail", proposal_id=proposal.id)
        for user in recipients:
            with in_language_of(user):
                queue_mail(user.email, _("Deadline approaching: %(reference)s is not submitted",
                                         reference=proposal.reference),
                           "deadline_reminder", kind="deadline_reminder", user=user, proposal=proposal,
                           call=proposal.call, link=link)
        db.session.add(SentReminder(kind=DRAFT_DEADLINE, object_type=Proposal.__tablename__,
                                    object_id=proposal.id, recipients=len(recipients)))
        record_event(None, "proposal.deadline_reminded", proposal,
                     after={"closes_at": proposal.call.closes_at, "recipients": len(recipients)})
    db.session.flush()
    return len(drafts)


# What `unscar remind` runs, in order: (what the count means, the function).
REMINDERS = [
    ("Drafts reminded of their call's deadline", remind_draft_deadlines),
]


def send_reminders(now=None) -> list[tuple[str, int]]:
    """Run every reminder; the caller commits."""
    now = now or utcnow()
    return [(label, remind(now)) for label, remind in REMINDERS]
