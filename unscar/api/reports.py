"""API: a grant's reports and revisions (API.md "Grants"): the grantee files financial and
narrative reports, corrects returned ones, attaches files and requests revisions; the
secretariat reviews reports and decides revisions.

Another organisation's grant or report answers 404 before the body is read, so nobody
learns from a validation error that it exists.
"""
from flask import request
from flask_babel import gettext as _

from ..errors import NotFound
from ..dates import utcnow
from ..extensions import db
from ..grants import report_files, reports, revisions
from ..grants.models import ReportKind
from ..grants.queries import get_grant_or_404
from ..grants.report_permissions import REPORT_READERS, REVISION_READERS, is_grantee
from ..grants.report_queries import (REPORT_ORDER, REVISION_ORDER, get_report_or_404,
                                     get_revision_or_404, listed_reports, listed_revisions)
from ..grants.report_schemas import (FiledReportSchema, FinancialReportInSchema, NarrativeReportInSchema,
                                     ReportFileSchema, ReportListArgsSchema, ReportPageSchema, ReportSchema,
                                     ReportReviewInSchema, RevisionDecisionInSchema, RevisionInSchema,
                                     RevisionListArgsSchema, RevisionPageSchema, RevisionSchema, VarianceSchema)
from ..proposals.services import AlreadyAttached
from .auth import current_api_user, roles_required
from .blueprint import bp
from .io import BadRequest, load, load_args, paginated
from .openapi import documented


def _own_grant(grant_id: int):
    """The user's organisation's grant, or 404 (also for grants it may only read)."""
    grant = get_grant_or_404(current_api_user(), grant_id)
    if not is_grantee(current_api_user(), grant):
        raise NotFound(_("No such grant."))
    return grant


def _own_report(report_id: int):
    report = get_report_or_404(current_api_user(), report_id)
    if not is_grantee(current_api_user(), report.grant):
        raise NotFound(_("No such report."))
    return report


def _report(report_id: int) -> dict:
    return ReportSchema().dump(get_report_or_404(current_api_user(), report_id))


@bp.post("/grants/<int:grant_id>/financial-reports")
@roles_required("applicant")
@documented("File a financial report: expenditure per category of the grant's budget", body=FinancialReportInSchema,
            response=FiledReportSchema, status=201, errors=(404, 409),
            description="It counts at once in budget vs actual and the fund's spent. It fills the earliest "
            "scheduled financial report still due whose period ends no later than the filed one, else it is a "
            "report of stage `other`. A closed grant: 409.")
def file_financial_report(grant_id):
    grant = _own_grant(grant_id)
    data = load(FinancialReportInSchema())
    report = reports.file_financial_report(current_api_user(), grant, data["period_start"], data["period_end"],
                                           data["lines"])
    db.session.commit()
    return {**_report(report.id), "variances": VarianceSchema(many=True).dump(reports.variances(grant))}, 201


@bp.post("/grants/<int:grant_id>/narrative-reports")
@roles_required("applicant")
@documented("File a narrative report: text and progress per indicator of the results framework",
            body=NarrativeReportInSchema, response=ReportSchema, status=201, errors=(404, 409),
            description="Indicators are matched by their text (ignoring case and spacing); an unknown one is 422 "
            "naming indicators.N.indicator. A report need not list every indicator.")
def file_narrative_report(grant_id):
    grant = _own_grant(grant_id)
    data = load(NarrativeReportInSchema())
    report = reports.file_narrative_report(current_api_user(), grant, data["period_start"], data["period_end"],
                                           data["text"], data["indicators"])
    db.session.commit()
    return _report(report.id), 201


@bp.post("/reports/<int:report_id>/review")
@roles_required("secretariat")
@documented("Accept or return a submitted report, with a comment the grantee reads (required when returning)",
            body=ReportReviewInSchema, response=ReportSchema, errors=(404, 409),
            description="A returned financial report stops counting until corrected. Not submitted: 409.")
def review_report(report_id):
    report = get_report_or_404(current_api_user(), report_id)
    data = load(ReportReviewInSchema())
    reports.review_report(current_api_user(), report, data["decision"], data["comment"])
    db.session.commit()
    return _report(report_id)


@bp.put("/reports/<int:report_id>")
@roles_required("applicant")
@documented("Correct a returned report and submit it again", body=FinancialReportInSchema,
            response=ReportSchema, errors=(404, 409),
            description="The body of a financial report (as shown) or of a narrative report (period_start, "
            "period_end, text, indicators), by the report's kind. Not returned: 409.")
def correct_report(report_id):
    report = _own_report(report_id)
    if report.kind is ReportKind.financial:
        data = load(FinancialReportInSchema())
        reports.correct_report(current_api_user(), report, data["period_start"], data["period_end"],
                               lines=data["lines"])
    else:
        data = load(NarrativeReportInSchema())
        reports.correct_report(current_api_user(), report, data["period_start"], data["period_end"],
                               text=data["text"], indicators=data["indicators"])
    db.session.commit()
    return _report(report_id)


@bp.post("/reports/<int:report_id>/attachments")
@roles_required("applicant")
@documented("Attach a PDF, DOCX, XLSX, PNG or JPEG file to a filed report", multipart_file=True,
            response=ReportFileSchema, status=201, errors=(404, 409, 413, 422, 429), repeat_status=200,
            description="A report awaiting review or returned; the same bytes again answer 200 with the file "
            "already there.")
def add_report_attachment(report_id):
    report = _own_report(report_id)
    file = request.files.get("file")
    if file is None:
        raise BadRequest(_("Send the file as multipart/form-data in the field `file`."))
    try:
        attachment = report_files.add_report_attachment(current_api_user(), report, file.filename or "file",
                                                        file.read())
    except AlreadyAttached as repeat:
        db.session.rollback()
        return ReportFileSchema().dump(repeat.attachment), 200
    db.session.commit()
    return ReportFileSchema().dump(attachment), 201


@bp.get("/reports")
@roles_required(*REPORT_READERS)
@documented("Reports: the secretariat's and donors' all, an organisation's its own", query=ReportListArgsSchema,
            response=ReportPageSchema, description=f"Order: {REPORT_ORDER} `status=overdue`: due and past the due "
            "date; `status=due`: due and not past it.")
def list_reports():
    args = load_args(ReportListArgsSchema())
    kind = ReportKind(args["kind"]) if args["kind"] else None
    stmt = listed_reports(current_api_user(), utcnow().date(), args["grant_id"], kind, args["status"])
    return paginated(stmt, ReportSchema(), args)


@bp.get("/revisions")
@roles_required(*REVISION_READERS)
@documented("Budget revisions and extensions: the secretariat's all, an organisation's its own",
            query=RevisionListArgsSchema, response=RevisionPageSchema, description=f"Order: {REVISION_ORDER}")
def list_revisions():
    args = load_args(RevisionListArgsSchema())
    return paginated(listed_revisions(current_api_user(), args["status"]), RevisionSchema(), args)


@bp.post("/grants/<int:grant_id>/revisions")
@roles_required("applicant")
@documented("Request a budget revision and/or a no-cost extension", body=RevisionInSchema, response=RevisionSchema,
            status=201, errors=(404, 409),
            description="The revised total may not exceed the current one (422 on `lines`); a category's new "
            "budget may not be below what it has spent; end_date after the current end date; one pending "
            "revision at a time (409).")
def request_revision(grant_id):
    grant = _own_grant(grant_id)
    data = load(RevisionInSchema())
    revision = revisions.request_revision(current_api_user(), grant, data["lines"], data["end_date"], data["reason"])
    db.session.commit()
    return RevisionSchema().dump(get_revision_or_404(current_api_user(), revision.id)), 201


@bp.post("/revisions/<int:revision_id>/decision")
@roles_required("secretariat")
@documented("Approve (and apply) or reject a pending revision", body=RevisionDecisionInSchema,
            response=RevisionSchema, errors=(404, 409),
            description="Approval sets the new budgets; an extension moves the end date, the final reports' "
            "period and due dates, and an active grant to `extended`. Not pending: 409.")
def decide_revision(revision_id):
    revision = get_revision_or_404(current_api_user(), revision_id)
    data = load(RevisionDecisionInSchema())
    revisions.decide_revision(current_api_user(), revision, data["decision"], data["comment"])
    db.session.commit()
    return RevisionSchema().dump(get_revision_or_404(current_api_user(), revision_id))
