"""Pages: finding and reading calls (anyone); creating, editing and moving them (secretariat)."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from .. import files
from ..dates import utcnow
from ..errors import DomainError
from ..extensions import db
from ..permissions import role_required
from . import services
from .forms import CallChangeForm, CallForm, DeleteForm, StatusForm, TemplateUploadForm, place_errors
from .models import CALL_STATUS_LABELS, Call, CallStatus, status_words
from .permissions import can_change_call_status, can_edit_call, can_manage_calls
from .queries import get_call_or_404, get_template_or_404, listed_calls
from .wording import eligibility_text

bp = Blueprint("calls", __name__, url_prefix="/calls")
# Templates show a button exactly when the service would accept the action.
for _predicate in (can_manage_calls, can_edit_call, can_change_call_status):
    bp.add_app_template_global(_predicate)
bp.add_app_template_global(CALL_STATUS_LABELS, "CALL_STATUS_LABELS")
PER_PAGE = 50


def _viewer_zone() -> str:
    return getattr(current_user, "timezone", None) or "UTC"


def _refused(form, error: DomainError) -> None:
    db.session.rollback()
    flash(error.detail, "danger")
    for message in place_errors(form, error.errors or {}):
        flash(message, "danger")


@bp.get("/")
def index():
    status = request.args.get("status")
    status = status if status in CallStatus.__members__ else None
    page = db.paginate(listed_calls(current_user, status).options(selectinload(Call.translations)),
                       per_page=PER_PAGE, max_per_page=PER_PAGE,
                       error_out=False)
    return render_template("calls/index.html", page=page, status=status, now=utcnow())


@bp.get("/<int:call_id>")
def detail(call_id):
    call = get_call_or_404(current_user, call_id)
    return render_template("calls/detail.html", call=call, now=utcnow(), eligibility=eligibility_text(call),
                           next_status=services.next_status(call), refusal=_next_refusal(call),
                           status_form=StatusForm(), upload_form=TemplateUploadForm(), delete_form=DeleteForm())


def _next_refusal(call) -> str | None:
    following = services.next_status(call)
    return services.transition_refusal(call, following) if following else None


@bp.route("/new", methods=["GET", "POST"])
@role_required("secretariat")
def create():
    form = CallForm(timezone=_viewer_zone(), year=utcnow().year)
    if form.validate_on_submit():
        try:
            call = services.create_call(current_user, form.values())
        except DomainError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("The call is saved as a draft. Open it when it is ready."), "success")
            return redirect(url_for("calls.detail", call_id=call.id))
    return render_template("calls/form.html", form=form, call=None)


@bp.route("/<int:call_id>/edit", methods=["GET", "POST"])
@role_required("secretariat")
def update(call_id):
    call = get_call_or_404(current_user, call_id)
    form_class = CallForm if call.status == CallStatus.draft else CallChangeForm
    form = form_class(obj=call) if request.method == "GET" else form_class()
    if request.method == "GET":
        form.show_times(call, _viewer_zone())
        form.show_translations(call)
    if form.validate_on_submit():
        try:
            services.update_call(current_user, call, form.values())
        except DomainError as error:
            _refused(form, error)
        else:
            db.session.commit()
            flash(_("The call is saved."), "success")
            return redirect(url_for("calls.detail", call_id=call.id))
    return render_template("calls/form.html", form=form, call=call)


@bp.post("/<int:call_id>/status")
@role_required("secretariat")
def change_status(call_id):
    call = get_call_or_404(current_user, call_id)
    form = StatusForm()
    if form.validate_on_submit() and form.status.data in CallStatus.__members__:
        try:
            services.change_status(current_user, call, form.status.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.detail, "danger")
        else:
            db.session.commit()
            flash(_("The call is now %(status)s.", status=status_words(call.status)), "success")
    return redirect(url_for("calls.detail", call_id=call_id))


@bp.post("/<int:call_id>/templates")
@role_required("secretariat")
def add_template(call_id):
    call = get_call_or_404(current_user, call_id)
    form = TemplateUploadForm()
    if not form.validate_on_submit():
        flash(_("Choose a file to upload."), "danger")
        return redirect(url_for("calls.detail", call_id=call_id))
    try:
        template = services.add_template(current_user, call, form.file.data.filename, form.file.data.read())
    except DomainError as error:
        db.session.rollback()
        flash(error.detail, "danger")
    else:
        db.session.commit()
        flash(_("%(filename)s is attached.", filename=template.filename), "success")
    return redirect(url_for("calls.detail", call_id=call_id))


@bp.post("/<int:call_id>/templates/<int:template_id>/delete")
@role_required("secretariat")
def delete_template(call_id, template_id):
    template = get_template_or_404(current_user, call_id, template_id)
    if DeleteForm().validate_on_submit():
        try:
            services.delete_template(current_user, template)
        except DomainError as error:
            db.session.rollback()
            flash(error.detail, "danger")
        else:
            db.session.commit()
            flash(_("The template is removed."), "success")
    return redirect(url_for("calls.detail", call_id=call_id))


@bp.get("/<int:call_id>/templates/<int:template_id>")
def download_template(call_id, template_id):
    template = get_template_or_404(current_user, call_id, template_id)
    return files.send_stored(template.storage_key, template.filename, template.media_type, template.sha256)
