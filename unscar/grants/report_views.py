"""The reporting pages of a grant (its reports are listed on the grant's page): the grantee's
financial and narrative reports (filed, corrected, with files), and each report's page,
where the secretariat accepts or returns it with a comment the grantee reads there."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..dates import utcnow
from ..errors import DomainError
from ..extensions import db
from ..files import send_stored
from ..permissions import role_required
from ..proposals.services import AlreadyAttached
from ..templating import format_long_date
from ..vocabulary import BUDGET_CATEGORY_LABELS
from . import report_files, reports
from .blueprint import bp
from .budget import current_budget
from .models import ReportKind
from .report_checks import framework_indicators
from .report_forms import FinancialReportForm, NarrativeReportForm, ReportFileForm, ReportReviewForm, place_errors
from .queries import get_grant_or_404
from .report_permissions import REPORT_READERS, is_grantee
from .report_queries import get_report_file_or_404, get_report_or_404

LABELS = BUDGET_CATEGORY_LABELS


def _own_grant_or_404(grant_id: int):
    grant = get_grant_or_404(current_user, grant_id)
    if not is_grantee(current_user, grant):
        abort(404)
    return grant


def _financial_form(grant, report=None) -> FinancialReportForm:
    """A row per category of the current budget, with the report's amounts when correcting."""
    amounts = {line.category.value: line.amount_usd for line in report.lines} if report else {}
    rows = [{"category": c.value, "amount_usd": amounts.get(c.value, "")} for c in current_budget(grant)]
    period = {"period_start": report.period_start, "period_end": report.period_end} if report else {}
    return FinancialReportForm(data={"lines": rows, **period})


def _narrative_form(grant, report=None) -> NarrativeReportForm:
    values = {row.indicator: row.value for row in report.indicators} if report else {}
    rows = [{"indicator": text, "value": values.get(text, "")}
            for text in framework_indicators(grant.proposal.results)]
    data = {"period_start": report.period_start, "period_end": report.period_end, "text": report.text} \
        if report else {}
    return NarrativeReportForm(data={"indicators": rows, **data})


def _save(form, grant, kind: ReportKind, report=None):
    """File (or, given `report`, correct) from a valid form; a narrative report's files go
    with it in the same transaction. Returns the report."""
    start, end = form.period_start.data, form.period_end.data
    if kind is ReportKind.financial:
        if report is not None:
            return reports.correct_report(current_user, report, start, end, lines=form.expenditure())
        return reports.file_financial_report(current_user, grant, start, end, form.expenditure())
    if report is not None:
        report = reports.correct_report(current_user, report, start, end, text=form.text.data,
                                        indicators=form.progress())
    else:
        report = reports.file_narrative_report(current_user, grant, start, end, form.text.data, form.progress())
    for upload in form.files.data or []:
        if upload and upload.filename:  # browsers send an empty part when no file is chosen
            try:
                report_files.add_report_attachment(current_user, report, upload.filename, upload.read())
            except AlreadyAttached:
                continue  # the same file chosen twice: the first copy stands
    return report


def _report_form(grant, kind: ReportKind, report=None):
    """The filing or correcting page: GET shows it, POST files and redirects, or shows the
    form again with every value kept and each refusal beside its field."""
    if request.method == "POST":
        form = FinancialReportForm() if kind is ReportKind.financial else NarrativeReportForm()
    else:
        form = _financial_form(grant, report) if kind is ReportKind.financial else _narrative_form(grant, report)
    status = 200
    if form.validate_on_submit():
        try:
            saved = _save(form, grant, kind, report)
        except DomainError as error:
            db.session.rollback()
            rows = {"lines": [r for r in form.lines if r.amount_usd.data is not None]} \
                if kind is ReportKind.financial else \
                {"indicators": [r for r in form.indicators if r.value.data]}
            if not place_errors(form, error, rows, {"file": "files"}) or error.status != 422:
                flash(error.detail, "danger")
            status = error.status
        else:
            db.session.commit()
            flash(_filed_message(saved), "success")
            return redirect(url_for("grants.report", report_id=saved.id))
    elif form.is_submitted():
        status = 422
    return render_template("grants/report_form.html", grant=grant, form=form, kind=kind, report=report,
                           labels=LABELS), status


def _filed_message(report) -> str:
    start, end = format_long_date(report.period_start), format_long_date(report.period_end)
    if report.kind is not ReportKind.financial:
        return _("Your narrative report for %(start)s to %(end)s is filed; the secretariat will review it.",
                 start=start, end=end)
    flagged = reports.variances(report.grant)
    if not flagged:
        return _("Your financial report for %(start)s to %(end)s is filed; the secretariat will review it.",
                 start=start, end=end)
    return _("Your financial report for %(start)s to %(end)s is filed; the secretariat will review it. Spending in "
             "%(categories)s exceeds the budget by more than the reallocation threshold: a budget revision may be "
             "needed.", start=start, end=end, categories=", ".join(LABELS[row["category"]] for row in flagged))


@bp.route("/<int:grant_id>/reports/financial/new", methods=["GET", "POST"])
@role_required("applicant")
def file_financial(grant_id):
    return _report_form(_own_grant_or_404(grant_id), ReportKind.financial)


@bp.route("/<int:grant_id>/reports/narrative/new", methods=["GET", "POST"])
@role_required("applicant")
def file_narrative(grant_id):
    return _report_form(_own_grant_or_404(grant_id), ReportKind.narrative)


@bp.route("/reports/<int:report_id>/correct", methods=["GET", "POST"])
@role_required("applicant")
def correct(report_id):
    report = get_report_or_404(current_user, report_id)
    if not is_grantee(current_user, report.grant):
        abort(404)
    return _report_form(report.grant, report.kind, report)


def _report_page(report, review_form=None, file_form=None, status: int = 200):
    return render_template("grants/report_detail.html", report=report, grant=report.grant, labels=LABELS,
                           review_form=review_form or ReportReviewForm(), file_form=file_form or ReportFileForm(),
                           today=utcnow().date(), is_grantee=is_grantee(current_user, report.grant),
                           variances=reports.variances(report.grant) if report.kind is ReportKind.financial
                           else []), status


@bp.get("/reports/<int:report_id>")
@role_required(*REPORT_READERS)
def report(report_id):
    return _report_page(get_report_or_404(current_user, report_id))


@bp.post("/reports/<int:report_id>/review")
@role_required("secretariat")
def review(report_id):
    report = get_report_or_404(current_user, report_id)
    form = ReportReviewForm()
    if not form.validate_on_submit():
        return _report_page(report, review_form=form, status=422)
    try:
        reports.review_report(current_user, report, form.decision.data, form.comment.data)
    except DomainError as error:
        db.session.rollback()
        if not place_errors(form, error):
            flash(error.detail, "danger")
        return _report_page(get_report_or_404(current_user, report_id), review_form=form, status=error.status)
    db.session.commit()
    flash(_("The report is accepted; the grantee is told by e-mail.") if form.decision.data == "accepted"
          else _("The report is returned; the grantee is told by e-mail."), "success")
    return redirect(url_for("grants.report", report_id=report_id))


@bp.post("/reports/<int:report_id>/files")
@role_required("applicant")
def add_file(report_id):
    report = get_report_or_404(current_user, report_id)
    if not is_grantee(current_user, report.grant):
        abort(404)
    form = ReportFileForm()
    if not form.validate_on_submit():
        return _report_page(report, file_form=form, status=422)
    upload = form.file.data
    try:
        attachment = report_files.add_report_attachment(current_user, report, upload.filename or "file",
                                                        upload.read())
    except AlreadyAttached as repeat:
        db.session.rollback()
        flash(_("%(file)s is already attached.", file=repeat.attachment.filename), "info")
        return redirect(url_for("grants.report", report_id=report_id))
    except DomainError as error:
        db.session.rollback()
        if not place_errors(form, error):
            flash(error.detail, "danger")
        return _report_page(get_report_or_404(current_user, report_id), file_form=form, status=error.status)
    db.session.commit()
    flash(_("%(file)s is attached.", file=attachment.filename), "success")
    return redirect(url_for("grants.report", report_id=report_id))


@bp.get("/reports/files/<int:file_id>")
@role_required(*REPORT_READERS)
def report_file(file_id):
    attachment = get_report_file_or_404(current_user, file_id)
    return send_stored(attachment.storage_key, attachment.filename, attachment.media_type, attachment.sha256)
