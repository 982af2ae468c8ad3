"""The applicant's editor: one page per section, the budget and the attachments.

Each page saves through the same service as the API (update_proposal, replace_budget,
add_attachment, delete_attachment); a refusal is shown on the page with what was typed.
A post that arrives after the session expired is kept (stash.py) and shown again.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from ..errors import DomainError, InvalidTransition
from ..extensions import db
from ..forms import show_domain_error
from ..permissions import role_required
from ..stash import EXPIRED_MESSAGE, keeps_typed_input, take_stashed_form
from . import services
from .blueprint import bp
from .budget import summarise
from .forms import (BLANK_OUTCOME, GENDER_MARKERS, AttachmentForm, BudgetForm, PlanForm, ResultsForm, ScopeForm,
                    SummaryForm)
from .models import PROPOSAL_STATUS_LABELS
from .permissions import can_edit_proposal, shown_status
from .queries import get_attachment_or_404, get_proposal_or_404

# (key, title): the editor's tabs, in the order an applicant fills them.
SECTIONS = [("summary", _l("Summary and objectives")), ("results", _l("Results framework")),
            ("scope", _l("Themes, instruments and countries")), ("plan", _l("Dates, gender, risks and co-funding")),
            ("budget", _l("Budget")), ("attachments", _l("Attachments"))]
SECTION_FORMS = {"summary": SummaryForm, "results": ResultsForm, "scope": ScopeForm, "plan": PlanForm}
# Where each problem of checks.py is fixed, so the checklist links to the right page.
PROBLEM_SECTIONS = {
    "missing_title": "summary", "missing_summary": "summary", "missing_objectives": "summary",
    "missing_results": "results", "missing_activity_types": "scope", "missing_themes": "scope",
    "missing_instruments": "scope", "missing_countries": "scope", "country_ineligible": "scope",
    "theme_not_in_call": "scope", "missing_start_date": "plan", "missing_duration": "plan",
    "missing_gender_marker": "plan", "missing_language": "plan", "missing_risks": "plan",
    "missing_sustainability": "plan", "duration_out_of_range": "plan", "missing_budget": "budget",
    "budget_out_of_range": "budget", "indirect_over_cap": "budget", "budget_year_outside_project": "budget",
    "start_before_call": "plan", "language_not_in_call": "plan",
}
# Problems shown beside the field that causes them while the applicant fills the section.
FIELD_PROBLEMS = {"start_before_call": "start_date", "language_not_in_call": "language"}
BUDGET_PROBLEMS = {code for code, section in PROBLEM_SECTIONS.items() if section == "budget"}


def section_url(proposal_id: int, section: str) -> str:
    if section == "budget":
        return url_for("proposals.budget", proposal_id=proposal_id)
    if section == "attachments":
        return url_for("proposals.attachments", proposal_id=proposal_id)
    return url_for("proposals.update", proposal_id=proposal_id, section=section)


# App-wide: the read-only proposal (proposals/_view.html) is shown by other parts' pages too.
@bp.app_context_processor
def _editor_helpers():
    return {"PROPOSAL_SECTIONS": SECTIONS, "PROBLEM_SECTIONS": PROBLEM_SECTIONS, "section_url": section_url,
            "GENDER_MARKER_LABELS": dict(GENDER_MARKERS[1:])}


def _load(proposal_id: int):
    """The proposal, and a redirect when a GET asks to edit what is not an editable draft."""
    proposal = get_proposal_or_404(current_user, proposal_id)
    if request.method == "GET" and not can_edit_proposal(current_user, proposal):
        shown = PROPOSAL_STATUS_LABELS[shown_status(current_user, proposal).value]
        if proposal.status.value == "submitted":
            message = _("The proposal is %(status)s: it can no longer be changed. Reopen it to edit it.", status=shown)
        else:
            message = _("The proposal is %(status)s: it can no longer be changed.", status=shown)
        flash(message, "warning")
        return proposal, redirect(url_for("proposals.detail", proposal_id=proposal_id))
    return proposal, None


def _refused(form, error: DomainError, proposal_id: int):
    """Roll back and show the refusal; the proposal again, reloaded after the rollback."""
    db.session.rollback()
    if isinstance(error, InvalidTransition) or not show_domain_error(form, error):
        flash(error.detail, "danger")
    return get_proposal_or_404(current_user, proposal_id)


def _saved(proposal_id: int, section: str, message: str | None = None):
    db.session.commit()
    flash(message or _("Saved."), "success")
    following = request.form.get("then")
    target = following if following in dict(SECTIONS) else section
    return redirect(url_for("proposals.detail", proposal_id=proposal_id) if following == "overview"
                    else section_url(proposal_id, target))


def _render(template: str, proposal, section: str, restored, **context):
    """Render, then commit: a restored post's stash is removed only once it is shown."""
    if restored is not None:
        flash(EXPIRED_MESSAGE, "warning")
    page = render_template(template, proposal=proposal, section=section, restored=restored is not None,
                           editable=can_edit_proposal(current_user, proposal), **context)
    db.session.commit()
    return page


def _section_form(section: str, proposal, restored):
    form_class = SECTION_FORMS[section]
    extra = {"call": proposal.call} if section in ("scope", "plan") else {}
    if restored is not None:
        return form_class(formdata=restored, **extra)
    if request.method == "POST":
        return form_class(**extra)
    if section == "results":
        return ResultsForm(data={"results": proposal.results or [BLANK_OUTCOME]})
    return form_class(obj=proposal, **extra)


@bp.route("/<int:proposal_id>/edit/<section>", methods=["GET", "POST"])
@keeps_typed_input
@role_required("applicant")
def update(proposal_id, section):
    if section not in SECTION_FORMS:
        abort(404)
    restored = take_stashed_form()
    proposal, leave = _load(proposal_id)
    if leave:
        return leave
    form = _section_form(section, proposal, restored)
    if restored is None and form.validate_on_submit():
        try:
            services.update_proposal(current_user, proposal, form.values())
        except DomainError as error:
            proposal = _refused(form, error, proposal_id)
        else:
            return _saved(proposal_id, section)
    return _render("proposals/update.html", proposal, section, restored, form=form,
                   field_warnings=_field_warnings(proposal, section))


def _field_warnings(proposal, section: str) -> dict[str, list[str]]:
    """{field name: [message]}: the checklist's problems of the saved draft that one field of
    this section causes, shown beside it (a start date before the call opens, say)."""
    if not proposal.is_editable or section not in {PROBLEM_SECTIONS[code] for code in FIELD_PROBLEMS}:
        return {}
    warnings: dict[str, list[str]] = {}
    for problem in services.current_checks(proposal)["problems"]:
        name = FIELD_PROBLEMS.get(problem["code"])
        if name and PROBLEM_SECTIONS[problem["code"]] == section:
            warnings.setdefault(name, []).append(problem["message"])
    return warnings


def _budget_form(proposal, restored):
    if restored is not None:
        return BudgetForm(formdata=restored)
    if request.method == "POST":
        return BudgetForm()
    lines = [{"category": line.category.value, "description": line.description, "unit": line.unit,
              "quantity": line.quantity, "unit_cost_usd": line.unit_cost_usd, "year": line.year}
             for line in proposal.budget_lines]
    return BudgetForm(data={"lines": lines + [{}]})


@bp.route("/<int:proposal_id>/budget", methods=["GET", "POST"])
@keeps_typed_input
@role_required("applicant")
def budget(proposal_id):
    restored = take_stashed_form()
    proposal, leave = _load(proposal_id)
    if leave:
        return leave
    form = _budget_form(proposal, restored)
    if restored is None and form.validate_on_submit():
        try:
            services.replace_budget(current_user, proposal, form.rows())
        except DomainError as error:
            proposal = _refused(form, error, proposal_id)
        else:
            return _saved(proposal_id, "budget", _("The budget is saved; the amounts and totals are computed below."))
    # Amounts beside the rows only when the rows are the saved lines.
    amounts = [line.amount_usd for line in proposal.budget_lines] if request.method == "GET" and not restored else []
    problems = [p for p in services.current_checks(proposal)["problems"] if p["code"] in BUDGET_PROBLEMS]
    return _render("proposals/budget.html", proposal, "budget", restored, form=form, amounts=amounts,
                   summary=summarise(proposal.budget_lines), problems=problems)


@bp.route("/<int:proposal_id>/attachments", methods=["GET", "POST"])
@role_required("applicant")
def attachments(proposal_id):
    proposal, leave = _load(proposal_id)
    if leave:
        return leave
    form = AttachmentForm()
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            attachment = services.add_attachment(current_user, proposal, upload.filename or "file", upload.read())
        except services.AlreadyAttached as repeat:
            db.session.rollback()
            return _saved(proposal_id, "attachments",
                          _("%(filename)s is already attached.", filename=repeat.attachment.filename))
        except DomainError as error:
            proposal = _refused(form, error, proposal_id)
            status = error.status  # a refused file is a 4xx, as on the API
        else:
            name = attachment.filename
            return _saved(proposal_id, "attachments", _("%(filename)s is attached.", filename=name))
    elif form.is_submitted():
        status = 422  # no file chosen
    files = [a for a in proposal.attachments if a.clarification_id is None]
    return _render("proposals/attachments.html", proposal, "attachments", None, form=form, files=files), status


@bp.post("/<int:proposal_id>/attachments/<int:attachment_id>/delete")
@role_required("applicant")
def delete_attachment(proposal_id, attachment_id):
    attachment = get_attachment_or_404(current_user, attachment_id)
    if attachment.proposal_id != proposal_id:
        abort(404)
    name = attachment.filename
    try:
        services.delete_attachment(current_user, attachment)
    except DomainError as error:
        db.session.rollback()
        flash(error.detail, "danger")
    else:
        db.session.commit()
        flash(_("%(filename)s is removed.", filename=name), "success")
    return redirect(url_for("proposals.attachments", proposal_id=proposal_id))
