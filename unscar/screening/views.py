"""Pages of the intake: the secretariat's list per call, a proposal's screening page,
organisation verification; and the applicant's answers to clarification questions."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts import documents
from ..calls.queries import get_call_or_404
from ..errors import DomainError
from ..extensions import db
from ..forms import show_domain_error
from ..permissions import role_required
from ..proposals import services
from ..proposals.budget import summarise
from ..proposals.permissions import is_own
from ..proposals.queries import get_proposal_or_404, history_for
from ..redirects import safe_next
from ..roles import STAFF_ROLES
from . import clarifications, export
from . import services as screening
from .forms import ActionForm, AnswerForm, IntakeFilterForm, QuestionForm, ScreeningForm
from .permissions import can_screen
from .queries import (calls_with_intake, clarifications_for_organisation, clarifications_of, get_clarification_or_404,
                      intake_proposals, questions_for_applicant, status_counts)

bp = Blueprint("screening", __name__, url_prefix="/screening")
PER_PAGE = 50


# The applicant's proposal page shows the secretariat's questions (proposals/ knows none).
bp.add_app_template_global(questions_for_applicant)
bp.add_app_template_global(can_screen)
bp.add_app_template_global(documents.can_verify_organisation)


@bp.get("/")
@role_required(*STAFF_ROLES)
def index():
    rows = db.session.execute(calls_with_intake(current_user)).all()
    return render_template("screening/index.html", rows=rows)


@bp.get("/calls/<int:call_id>")
@role_required(*STAFF_ROLES)
def intake(call_id):
    call = get_call_or_404(current_user, call_id)
    form = IntakeFilterForm(request.args)
    stmt = intake_proposals(call.id, form.filters())
    page = db.paginate(stmt, per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
    # Only the filters go on to the CSV link (a stray ?call_id= would clash with the route's).
    csv_args = {k: v for k, v in request.args.items() if k in form._fields}
    return render_template("screening/intake.html", call=call, form=form, page=page, csv_args=csv_args,
                           counts=status_counts(call.id),
                           documents=documents.documents_of(p.organisation_id for p in page.items))


@bp.get("/calls/<int:call_id>/proposals.csv")
@role_required(*STAFF_ROLES)
def intake_csv(call_id):
    call = get_call_or_404(current_user, call_id)
    stmt = intake_proposals(call.id, IntakeFilterForm(request.args).filters())
    response = Response(stream_with_context(export.intake_csv(stmt)), mimetype="text/csv")
    response.headers.set("Content-Disposition", "attachment", filename=f"UNSCAR-{call.year}-call-{call.id}-proposals.csv")
    return response


def _render_proposal(proposal, screening_form=None, question_form=None, status=200):
    org_id = proposal.organisation_id
    clarifications = clarifications_of(proposal.id)
    return render_template(
        "screening/proposal.html", proposal=proposal, checks=services.current_checks(proposal),
        budget=summarise(proposal.budget_lines), history=history_for(current_user, proposal),
        clarifications=clarifications, open_questions=sum(c.answered_at is None for c in clarifications),
        documents=documents.documents_of([org_id])[org_id],
        screening_form=screening_form or ScreeningForm(), question_form=question_form or QuestionForm(),
        action_form=ActionForm()), status


@bp.get("/proposals/<int:proposal_id>")
@role_required(*STAFF_ROLES)
def proposal(proposal_id):
    return _render_proposal(get_proposal_or_404(current_user, proposal_id))


@bp.post("/proposals/<int:proposal_id>/screen")
@role_required("secretariat")
def screen(proposal_id):
    proposal = get_proposal_or_404(current_user, proposal_id)
    form = ScreeningForm()
    if not form.validate_on_submit():
        return _render_proposal(proposal, screening_form=form, status=422)
    try:
        screening.screen_proposal(current_user, proposal, form.decision.data, form.reason.data,
                                  confirm_open_questions=form.confirm_open_questions.data)
    except screening.OpenQuestions as error:
        # Not an error of the secretariat's: the same form again, with the warning and the box to tick.
        db.session.rollback()
        form.confirm_open_questions.errors = [error.detail]
        return _render_proposal(proposal, screening_form=form, status=409)
    except DomainError as error:
        db.session.rollback()
        if show_domain_error(form, error):
            return _render_proposal(proposal, screening_form=form, status=error.status)
        flash(error.detail, "danger")
    else:
        db.session.commit()
        flash(_screened(proposal), "success")
    return redirect(url_for("screening.proposal", proposal_id=proposal_id))


def _screened(proposal) -> str:
    if proposal.status.value == "under_review":
        return _("%(reference)s is under review; the applicant is told by e-mail.", reference=proposal.reference)
    return _("%(reference)s is screened out; the applicant is told by e-mail.", reference=proposal.reference)


@bp.post("/proposals/<int:proposal_id>/clarifications")
@role_required("secretariat")
def ask(proposal_id):
    proposal = get_proposal_or_404(current_user, proposal_id)
    form = QuestionForm()
    if not form.validate_on_submit():
        return _render_proposal(proposal, question_form=form, status=422)
    try:
        clarifications.ask_clarification(current_user, proposal, form.question.data.strip())
    except DomainError as error:
        db.session.rollback()
        flash(error.detail, "danger")
    else:
        db.session.commit()
        flash(_("The question is sent to the applicant."), "success")
    return redirect(url_for("screening.proposal", proposal_id=proposal_id) + "#clarifications")


@bp.get("/organisations/<int:organisation_id>")
@role_required(*STAFF_ROLES)
def organisation(organisation_id):
    org = documents.get_organisation_or_404(organisation_id)
    return render_template("screening/organisation.html", organisation=org, action_form=ActionForm(),
                           documents=documents.documents_of([org.id])[org.id])


@bp.post("/organisations/<int:organisation_id>/verification", defaults={"verified": True}, endpoint="verify")
@bp.post("/organisations/<int:organisation_id>/verification/withdraw", defaults={"verified": False},
         endpoint="withdraw_verification")
@role_required("secretariat")
def change_verification(organisation_id, verified):
    org = documents.get_organisation_or_404(organisation_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    change = documents.verify_organisation if verified else documents.withdraw_verification
    change(current_user, org)
    db.session.commit()
    if verified:
        flash(_("%(name)s is verified.", name=org.name), "success")
    else:
        flash(_("%(name)s is no longer verified.", name=org.name), "success")
    return redirect(safe_next(url_for("screening.organisation", organisation_id=org.id)))


@bp.get("/clarifications")
@role_required("applicant")
def questions():
    if current_user.organisation_id is None:
        abort(404)
    return render_template("screening/questions.html",
                           clarifications=clarifications_for_organisation(current_user.organisation_id))


@bp.route("/clarifications/<int:clarification_id>/answer", methods=["GET", "POST"])
@role_required("applicant")
def answer(clarification_id):
    clarification = get_clarification_or_404(current_user, clarification_id)
    if not is_own(current_user, clarification.proposal):
        abort(404)  # the secretariat may see it, but answers come from the organisation only
    form = AnswerForm(data={"answer": clarification.answer})
    status = 200
    if form.validate_on_submit():
        try:
            _save_answer(clarification, form)
        except DomainError as error:
            db.session.rollback()
            if not show_domain_error(form, error, {"file": "files"}):
                flash(error.detail, "danger")
            status = error.status  # a refused answer or file is a 4xx, as on the API
        else:
            db.session.commit()
            flash(_("Your answer is sent to the secretariat. Your proposal stays as submitted."), "success")
            return redirect(url_for("screening.answer", clarification_id=clarification_id))
    elif form.is_submitted():
        status = 422
    return render_template("screening/answer.html", clarification=clarification, form=form), status


def _save_answer(clarification, form) -> None:
    clarifications.answer_clarification(current_user, clarification, form.answer.data.strip())
    for upload in form.files.data or []:
        if upload and upload.filename:  # browsers send an empty part when no file is chosen
            try:
                clarifications.add_clarification_file(current_user, clarification, upload.filename, upload.read())
            except services.AlreadyAttached:
                continue  # sent twice (a double-click): the first copy stands
