"""Report reminders, sent by `flask --app wsgi unscar remind` with the other reminders.

A scheduled report still due is announced to the grantee organisation's members
REPORT_REMIND_DAYS before its due date, and once more when it is overdue (after its due
date), on grants not closed. As for draft and review reminders, each is recorded as a
SentReminder row (screening's) in the same transaction as its outbox mail, so a later run
skips it. A due date moved by an extension keeps the reminders already sent.
"""
from datetime import date, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from ..audit.services import record_event
from ..dates import utcnow
from ..extensions import db
from ..links import external_url
from ..locking import acquire_write_lock
from ..screening.models import SentReminder
from ..templating import format_long_date
from .labels import report_name
from .models import Grant, Report, ReportStatus
from .notices import mail_grantee, members_by_organisation
from .report_queries import open_grants

REPORT_DUE = "report_due"
REPORT_OVERDUE = "report_overdue"


def _not_reminded(kind: str):
    return Report.id.not_in(select(SentReminder.object_id).where(SentReminder.kind == kind,
                                                                 SentReminder.object_type == Report.__tablename__))


def reports_to_remind(kind: str, today: date, days: int) -> list[Report]:
    """Due reports, on grants not closed, in the window of `kind` and not reminded of it."""
    window = (Report.due_date < today if kind == REPORT_OVERDUE
              else (Report.due_date >= today) & (Report.due_date <= today + timedelta(days=days)))
    stmt = (select(Report).join(Report.grant)
            .options(contains_eager(Report.grant).joinedload(Grant.proposal))
            .where(open_grants(), Report.status == ReportStatus.due, Report.due_date.is_not(None), window,
                   _not_reminded(kind))
            .order_by(Report.id))
    return list(db.session.scalars(stmt).unique())


def remind_reports(now=None, days: int | None = None) -> int:
    """Queue each due reminder once (before the due date, then overdue); returns how many
    reports were reminded. The caller commits."""
    today = (now or utcnow()).date()
    days = current_app.config["REPORT_REMIND_DAYS"] if days is None else days
    acquire_write_lock()
    # Overdue first: a report past its date never also gets the "due soon" mail.
    overdue = reports_to_remind(REPORT_OVERDUE, today, days)
    soon = [r for r in reports_to_remind(REPORT_DUE, today, days) if r not in overdue]
    members = members_by_organisation({r.grant.organisation_id for r in overdue + soon})
    for kind, reports in ((REPORT_OVERDUE, overdue), (REPORT_DUE, soon)):
        for report in reports:
            _remind(kind, report, members[report.grant.organisation_id], today)
    db.session.flush()
    return len(overdue) + len(soon)


def _subject(kind: str, report: Report) -> str:
    agreement, name = report.grant.agreement_number, report_name(report)
    if kind == REPORT_OVERDUE:
        return _("%(agreement)s: the %(report)s is overdue", agreement=agreement, report=name)
    return _("%(agreement)s: the %(report)s is due on %(date)s", agreement=agreement, report=name,
             date=format_long_date(report.due_date))


def _remind(kind: str, report: Report, members: list, today: date) -> None:
    sent = mail_grantee(report.grant, lambda: _subject(kind, report), "report_reminder", kind=kind, members=members,
                        report=report, overdue=kind == REPORT_OVERDUE,
                        link=external_url("grants.detail", grant_id=report.grant_id))
    db.session.add(SentReminder(kind=kind, object_type=Report.__tablename__, object_id=report.id, recipients=sent))
    record_event(None, f"report.{kind}_reminded", report, after={"due_date": report.due_date, "recipients": sent,
                                                                  "on": today})
