"""Review reminders, sent by `flask --app wsgi unscar remind` with the deadline reminders.

A reviewer whose active assignment has no submitted review hears REVIEW_REMIND_DAYS days
before the call's review_closes_at, once per assignment: like the draft reminders
(screening/reminders.py), each is recorded as a SentReminder row in the same transaction
as its outbox mail, so a later run skips it. The mail names the proposal by its reference
only: under blind review nothing in it may point at the applicant.
"""
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import or_, select
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
from ..proposals.models import Proposal
from ..screening.models import SentReminder
from .models import Assignment, AssignmentStatus, Review

REVIEW_DEADLINE = "review_deadline"


def due_assignments(now, days: int) -> list[Assignment]:
    """Active assignments without a submitted review, on calls in review whose reviews
    close within `days` days, not reminded yet."""
    reminded = select(SentReminder.object_id).where(SentReminder.kind == REVIEW_DEADLINE,
                                                    SentReminder.object_type == Assignment.__tablename__)
    stmt = (select(Assignment)
            .join(Proposal, Proposal.id == Assignment.proposal_id).join(Call, Call.id == Proposal.call_id)
            .join(User, User.id == Assignment.reviewer_id)
            .outerjoin(Review, Review.assignment_id == Assignment.id)
            .options(contains_eager(Assignment.proposal).contains_eager(Proposal.call),
                     contains_eager(Assignment.reviewer))
            .where(Assignment.status == AssignmentStatus.active, User.active.is_(True),
                   Call.status == CallStatus.in_review, Call.review_closes_at > now,
                   Call.review_closes_at <= now + timedelta(days=days),
                   or_(Review.id.is_(None), Review.submitted_at.is_(None)),
                   Assignment.id.not_in(reminded))
            .order_by(Assignment.id))
    return list(db.session.scalars(stmt).unique())


def remind_review_deadlines(now=None, days: int | None = None) -> int:
    """One e-mail per due assignment, once; returns how many were sent. The caller commits."""
    now = now or utcnow()
    days = current_app.config["REVIEW_REMIND_DAYS"] if days is None else days
    acquire_write_lock()
    due = due_assignments(now, days)
    for assignment in due:
        call, reviewer = assignment.proposal.call, assignment.reviewer
        with in_language_of(reviewer):
            queue_mail(reviewer.email, _("Reviews close soon: %(reference)s is not submitted",
                                         reference=assignment.proposal.reference),
                       "review_reminder", kind="review_reminder", user=reviewer, call=call,
                       reference=assignment.proposal.reference,
                       link=external_url("reviews.detail", assignment_id=assignment.id))
        db.session.add(SentReminder(kind=REVIEW_DEADLINE, object_type=Assignment.__tablename__,
                                    object_id=assignment.id, recipients=1))
        record_event(None, "assignment.review_reminded", assignment,
                     after={"review_closes_at": call.review_closes_at})
    db.session.flush()
    return len(due)
