"""Budget revisions and no-cost extensions: the grantee's request (a new budget per
category, an optional later end date, a reason) and the revision's page, where the
secretariat approves or rejects it."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..errors import DomainError
from ..extensions import db
from ..permissions import role_required
from ..proposals.models import BudgetCategory
from ..vocabulary import BUDGET_CATEGORY_LABELS
from . import revisions
from .blueprint import bp
from .budget import current_budget, spent_by_category
from .report_forms import RevisionDecisionForm, RevisionForm, place_errors
from .report_permissions import REVISION_READERS, is_grantee
from .queries import get_grant_or_404
from .report_queries import get_revision_or_404


def _blank_form(budget: dict) -> RevisionForm:
    """A row per UN category, holding its current budget (none for a category the grant
    lacks: a revision may give it one)."""
    rows = [{"category": c.value, "budget_usd": f"{budget[c]:.2f}" if c in budget else ""} for c in BudgetCategory]
    return RevisionForm(data={"lines": rows})


@bp.route("/<int:grant_id>/revisions/new", methods=["GET", "POST"])
@role_required("applicant")
def request_revision(grant_id):
    grant = get_grant_or_404(current_user, grant_id)
    if not is_grantee(current_user, grant):
        abort(404)
    budget = current_budget(grant)
    form = RevisionForm() if request.method == "POST" else _blank_form(budget)
    status = 200
    if form.validate_on_submit():
        lines = form.changed_lines(budget)
        try:
            revision = revisions.request_revision(current_user, grant, lines, form.end_date.data, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            sent = {row["category"] for row in lines}
            rows = {"lines": [row for row in form.lines if row.category.data in sent]}
            if not place_errors(form, error, rows) or error.status != 422:
                flash(error.detail, "danger")
            status = error.status
        else:
            db.session.commit()
            flash(_("Your revision request is sent to the secretariat."), "success")
            return redirect(url_for("grants.revision", revision_id=revision.id))
    elif form.is_submitted():
        status = 422
    return render_template("grants/revision_form.html", grant=grant, form=form, budget=current_budget(grant),
                           spent=spent_by_category(grant.id), labels=BUDGET_CATEGORY_LABELS), status


def _revision_page(revision, form=None, status: int = 200):
    grant = revision.grant
    return render_template("grants/revision_detail.html", revision=revision, grant=grant,
                           budget=current_budget(grant), labels=BUDGET_CATEGORY_LABELS,
                           form=form or RevisionDecisionForm()), status


@bp.get("/revisions/<int:revision_id>")
@role_required(*REVISION_READERS)
def revision(revision_id):
    return _revision_page(get_revision_or_404(current_user, revision_id))


@bp.post("/revisions/<int:revision_id>/decision")
@role_required("secretariat")
def decide_revision(revision_id):
    revision = get_revision_or_404(current_user, revision_id)
    form = RevisionDecisionForm()
    if not form.validate_on_submit():
        return _revision_page(revision, form, 422)
    try:
        revisions.decide_revision(current_user, revision, form.decision.data, form.comment.data)
    except DomainError as error:
        db.session.rollback()
        if not place_errors(form, error):
            flash(error.detail, "danger")
        return _revision_page(get_revision_or_404(current_user, revision_id), form, error.status)
    db.session.commit()
    flash(_("The revision is approved; the grantee is told by e-mail.") if form.decision.data == "approved"
          else _("The revision is rejected; the grantee is told by e-mail."), "success")
    return redirect(url_for("grants.revision", revision_id=revision_id))
