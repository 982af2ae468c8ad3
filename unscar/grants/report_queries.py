"""Loading reports and revisions for the pages and the API: visible-or-404, the filtered
lists (ordered by due date, reports without one last, then id) and the secretariat's work
list, each one query with what its rows show loaded alongside."""
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from ..errors import NotFound
from ..extensions import db
from .models import Grant, GrantStatus, Report, ReportAttachment, ReportStatus, Revision, RevisionStatus
from .report_permissions import visible_reports, visible_revisions

REPORT_ORDER = "By due date (reports without one last), then id."
REVISION_ORDER = "Newest first (by id)."
# The filters of GET /reports: the stored statuses, and `overdue` (due, past its due date).
REPORT_FILTERS = ("due", "overdue", "submitted", "accepted", "returned")


def report_details():
    return (joinedload(Report.grant).joinedload(Grant.proposal), selectinload(Report.lines),
            selectinload(Report.indicators), selectinload(Report.files))


def get_report_or_404(user, report_id: int, details: bool = True) -> Report:
    stmt = visible_reports(user).where(Report.id == report_id)
    report = db.session.scalars(stmt.options(*report_details()) if details else stmt).first()
    if report is None:
        raise NotFound(_("No such report."))
    return report


def get_report_file_or_404(user, file_id: int) -> ReportAttachment:
    stmt = (select(ReportAttachment).where(ReportAttachment.id == file_id,
                                           ReportAttachment.report_id.in_(visible_reports(user)
                                                                          .with_only_columns(Report.id))))
    attachment = db.session.scalars(stmt).first()
    if attachment is None:
        raise NotFound(_("No such file."))
    return attachment


def get_revision_or_404(user, revision_id: int) -> Revision:
    stmt = (visible_revisions(user).where(Revision.id == revision_id)
            .options(joinedload(Revision.grant).joinedload(Grant.proposal), selectinload(Revision.lines)))
    revision = db.session.scalars(stmt).first()
    if revision is None:
        raise NotFound(_("No such revision."))
    return revision


def is_overdue(today: date):
    return and_(Report.status == ReportStatus.due, Report.due_date < today)


def ordered(stmt: Select) -> Select:
    # Portable "NULLS LAST": false sorts before true on both databases.
    return stmt.order_by(Report.due_date.is_(None), Report.due_date, Report.id)


def listed_reports(user, today: date, grant_id=None, kind=None, status=None) -> Select:
    stmt = visible_reports(user).options(*report_details())
    if grant_id is not None:
        stmt = stmt.where(Report.grant_id == grant_id)
    if kind is not None:
        stmt = stmt.where(Report.kind == kind)
    if status == "overdue":
        stmt = stmt.where(is_overdue(today))
    elif status == "due":
        stmt = stmt.where(Report.status == ReportStatus.due,
                          or_(Report.due_date.is_(None), Report.due_date >= today))
    elif status is not None:
        stmt = stmt.where(Report.status == ReportStatus(status))
    return ordered(stmt)


def listed_revisions(user, status=None) -> Select:
    stmt = visible_revisions(user).options(selectinload(Revision.lines))
    if status is not None:
        stmt = stmt.where(Revision.status == RevisionStatus(status))
    return stmt.order_by(Revision.id.desc())


def open_grants():
    return Grant.status != GrantStatus.closed


def due_soon(today: date, days: int) -> Select:
    """Scheduled reports falling due within `days` days, on grants not closed."""
    return ordered(select(Report).join(Report.grant).where(
        open_grants(), Report.status == ReportStatus.due, Report.due_date >= today,
        Report.due_date <= today + timedelta(days=days)))


def overdue(today: date) -> Select:
    """The secretariat's overdue list: due reports past their due date, on grants not closed."""
    return ordered(select(Report).join(Report.grant).where(open_grants(), is_overdue(today)))


def awaiting_review() -> Select:
    return select(Report).where(Report.status == ReportStatus.submitted).order_by(Report.submitted_at, Report.id)


def pending_revisions() -> Select:
    return select(Revision).where(Revision.status == RevisionStatus.pending).order_by(Revision.requested_at,
                                                                                      Revision.id)


def first_rows(stmt: Select, limit: int, *options) -> tuple[list, int]:
    """The first `limit` rows of `stmt` with `options`, and how many there are in all."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.scalars(stmt.options(*options).limit(limit)).unique().all()
    return rows, total
