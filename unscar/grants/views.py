"""The grants pages: each organisation's grants from the moment its proposal is approved, and
each grant's page (money, budget vs actual with its chart, tranches, disbursements, reports,
revisions and history) for the secretariat, donors and the grantee, with the secretariat's
forms. The blueprint also lends the templates of parts below it the agreement numbers they
know only by id."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ..charts import chart_response, version_key
from ..dates import utcnow
from ..errors import DomainError
from ..extensions import db
from ..forms import show_domain_error
from ..permissions import role_required
from . import charts
from .closure import close_grant
from .disbursements import disburse
from .forms import CONDITION_LABELS, CloseForm, DisbursementForm, SuspensionForm, TrancheScheduleForm
from .history import grant_history
from .models import Grant
from .blueprint import bp
from .overview import grant_overview
from .permissions import GRANT_READERS, can_manage_grant, visible_grants
from .queries import get_grant_or_404
from .suspension import set_suspension
from .tranches import set_tranches
PER_PAGE = 50


@bp.get("/")
@role_required(*GRANT_READERS)
def index():
    """The grants the user may see, newest first: two queries whatever the page holds."""
    stmt = (visible_grants(current_user).options(joinedload(Grant.proposal))
            .order_by(Grant.created_at.desc(), Grant.id.desc()))
    page = db.paginate(stmt, per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
    return render_template("grants/index.html", page=page)


def _schedule_form(grant: Grant) -> TrancheScheduleForm:
    return TrancheScheduleForm(data={"tranches": [
        {"amount_usd": f"{t.amount_usd:.2f}", "condition": t.condition.value, "date": t.due_on}
        for t in grant.tranches]})


def _detail_page(grant: Grant, forms: dict | None = None, status: int = 200):
    forms = forms or {}
    if can_manage_grant(current_user):
        forms.setdefault("schedule", _schedule_form(grant))
        forms.setdefault("disbursement", DisbursementForm(data={"date": utcnow().date()}))
        forms.setdefault("suspension", SuspensionForm())
        forms.setdefault("close", CloseForm())
    overview = grant_overview(grant, utcnow().date())
    return render_template("grants/detail.html", grant=grant, o=overview, forms=forms,
                           history=grant_history(current_user, grant), conditions=CONDITION_LABELS), status


@bp.get("/<int:grant_id>")
@role_required(*GRANT_READERS)
def detail(grant_id):
    return _detail_page(get_grant_or_404(current_user, grant_id))


@bp.get("/<int:grant_id>/budget.png")
@role_required(*GRANT_READERS)
def budget_chart(grant_id):
    grant = get_grant_or_404(current_user, grant_id)
    frame = charts.budget_frame(grant_overview(grant, utcnow().date())["budget"])
    # The chart's words are in the reader's language: each language is its own version.
    return chart_response("grant-budget-2", version_key(frame), lambda: charts.budget_chart(frame))


def _act(grant_id: int, name: str, form, act, done: str):
    """The secretariat's actions share one recipe: validate, call the service, commit and
    redirect; a refusal re-renders the page with the form as typed and the reason."""
    grant = get_grant_or_404(current_user, grant_id)
    if not form.validate_on_submit():
        flash(_("Please correct the marked fields."), "danger")
        return _detail_page(grant, {name: form}, 422)
    try:
        act(grant)
    except DomainError as error:
        db.session.rollback()
        place = getattr(form, "place_errors", None)
        place(error) if place else show_domain_error(form, error)
        flash(error.detail, "danger")
        return _detail_page(get_grant_or_404(current_user, grant_id), {name: form}, error.status)
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("grants.detail", grant_id=grant_id) + f"#{name}")


@bp.post("/<int:grant_id>/tranches")
@role_required("secretariat")
def schedule(grant_id):
    form = TrancheScheduleForm()
    return _act(grant_id, "schedule", form, lambda g: set_tranches(current_user, g, form.rows()),
                _("The tranche schedule is saved."))


@bp.post("/<int:grant_id>/disbursements")
@role_required("secretariat")
def disbursement(grant_id):
    form = DisbursementForm()
    return _act(grant_id, "disbursement", form, lambda g: disburse(
        current_user, g, form.amount_usd.data, form.date.data, form.override_reason.data),
        _("The disbursement is recorded."))


@bp.post("/<int:grant_id>/status")
@role_required("secretariat")
def suspension(grant_id):
    form = SuspensionForm()
    return _act(grant_id, "suspension", form,
                lambda g: set_suspension(current_user, g, form.status.data, form.reason.data),
                _("The grant's status is changed."))


@bp.post("/<int:grant_id>/close")
@role_required("secretariat")
def close(grant_id):
    form = CloseForm()
    return _act(grant_id, "close", form, lambda g: close_grant(current_user, g, form.refund_usd.data),
                _("The grant is closed; the refund and the undisbursed commitment are back in the fund."))
