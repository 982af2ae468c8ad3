"""The secretariat's work list: reports falling due soon, overdue reports, reports
awaiting review and revisions awaiting a decision. Each section shows its first rows and
how many there are, in a fixed number of queries whatever their size."""
from flask import current_app, render_template
from sqlalchemy.orm import joinedload

from ..dates import utcnow
from ..permissions import role_required
from ..roles import STAFF_ROLES
from .blueprint import bp
from .models import Grant, Report, Revision
from .report_queries import awaiting_review, due_soon, first_rows, overdue, pending_revisions

SHOWN = 50


@bp.get("/work")
@role_required(*STAFF_ROLES)
def work():
    today, days = utcnow().date(), current_app.config["REPORT_REMIND_DAYS"]
    with_grant = joinedload(Report.grant).joinedload(Grant.proposal)
    sections = {
        "overdue": first_rows(overdue(today), SHOWN, with_grant),
        "due_soon": first_rows(due_soon(today, days), SHOWN, with_grant),
        "awaiting_review": first_rows(awaiting_review(), SHOWN, with_grant),
    }
    revisions = first_rows(pending_revisions(), SHOWN, joinedload(Revision.grant).joinedload(Grant.proposal))
    return render_template("grants/work_list.html", sections=sections, revisions=revisions, today=today,
                           days=days, shown=SHOWN)
