"""API: the portfolio (API.md "Portfolio"): figures, the public record of each funded
project, the exports (CSV, XLSX, IATI, 360Giving) and the import of the fund's history.

Anyone may read, anonymously too: only funded projects ever appear. Importing is the
secretariat's. A token that is sent must be valid (calls.py's rule).
"""
from flask import Response, current_app, request, stream_with_context
from flask_babel import gettext as _
from sqlalchemy import func, select

from ..dates import utcnow
from ..errors import ValidationFailed
from ..extensions import db
from ..portfolio import exports, giving, iati
from ..portfolio.cache import cached_figures
from ..portfolio.history import import_history, read_rows
from ..portfolio.queries import check_filter_ids, get_project_or_404
from ..portfolio.records import PROJECT_ORDER, filtered_projects
from ..portfolio.schemas import (ImportResultSchema, PortfolioArgsSchema, PortfolioSchema, ProjectArgsSchema,
                                 ProjectPageSchema, ProjectSchema)
from ..portfolio.summary import summary_text
from .auth import current_api_user, optional_api_user, roles_required
from .blueprint import bp
from .io import BadRequest, PayloadTooLarge, load_args
from .openapi import documented

FILTERS_NOTE = ("Filters: year_from, year_to (a grant's year is its call's year; an imported project's, its "
                "`year`), theme, region, instrument, activity_type, applicant_type, gender_marker, donor_id (the "
                "grants its money was attributed to), call_id; unknown values 422.")
MAX_IMPORT_BYTES = 5 * 1024 * 1024


def _filters(schema=PortfolioArgsSchema):
    optional_api_user()
    return check_filter_ids(load_args(schema()))


def _download(body, mimetype: str, filename: str) -> Response:
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    return response


@bp.get("/portfolio")
@documented("The portfolio's figures: funded projects, money, every breakdown and the summary paragraph",
            query=PortfolioArgsSchema, response=PortfolioSchema, errors=(401,), description=FILTERS_NOTE)
def get_portfolio():
    filters = _filters()
    figures = cached_figures(filters)
    return PortfolioSchema().dump({**figures, "summary_text": summary_text(figures, filters)})


@bp.get("/portfolio/projects")
@documented("The funded projects, each as its public record", query=ProjectArgsSchema, response=ProjectPageSchema,
            errors=(401,), description=f"{FILTERS_NOTE} Order: {PROJECT_ORDER}.")
def list_portfolio_projects():
    args = _filters(ProjectArgsSchema)
    page, per_page = args["page"], args["per_page"]
    _projects, stmt = filtered_projects(args)
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": ProjectSchema().dump(rows, many=True), "page": page, "per_page": per_page, "total": total}


@bp.get("/portfolio/projects/<reference>")
@documented("A funded project's public record", response=ProjectSchema, errors=(401, 404))
def get_portfolio_project(reference):
    optional_api_user()
    return ProjectSchema().dump(get_project_or_404(reference))


@bp.get("/portfolio/export.csv")
@documented("The filtered funded projects as CSV (UTF-8 with a BOM), one row per project", query=PortfolioArgsSchema,
            errors=(401,), content_type="text/csv", description=FILTERS_NOTE)
def export_portfolio_csv():
    return _download(exports.portfolio_csv(_filters()), "text/csv", "unscar-portfolio.csv")


@bp.get("/portfolio/export.xlsx")
@documented("The filtered funded projects as an XLSX workbook: one row per project, a sheet per breakdown",
            query=PortfolioArgsSchema, errors=(401,), description=FILTERS_NOTE,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
def export_portfolio_xlsx():
    filters = _filters()
    return _download(exports.portfolio_xlsx(filters, cached_figures(filters)),
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "unscar-portfolio.xlsx")


@bp.get("/portfolio/iati.xml")
@documented("The filtered funded projects as IATI Activity Standard 2.03 XML", query=PortfolioArgsSchema,
            errors=(401,), content_type="application/xml", description=FILTERS_NOTE)
def export_portfolio_iati():
    return _download(iati.iati_xml(_filters()), "application/xml", "unscar-iati-activities.xml")


@bp.get("/portfolio/360giving.json")
@documented("The filtered funded projects as a 360Giving Data Standard package", query=PortfolioArgsSchema,
            errors=(401,), content_type="application/json",
            description=f"{FILTERS_NOTE} The standard wants at least one grant: an empty selection answers an "
                        "empty `grants` list, which its schema does not accept.")
def export_portfolio_360giving():
    return _download(giving.giving_json(_filters()), "application/json", "unscar-360giving.json")


@bp.post("/portfolio/import")
@roles_required("secretariat")
@documented("Import past projects from a CSV file (the columns of API.md); rows already imported are skipped",
            text_body="text/csv", response=ImportResultSchema, status=201, errors=(422,),
            description="Each bad row is reported with its line number and left out; the good rows are "
                        "imported. A file without the columns of API.md, or not UTF-8: 422.")
def import_portfolio_history():
    if request.content_length is not None and request.content_length > MAX_IMPORT_BYTES:
        raise PayloadTooLarge(_("The file may be at most %(limit)s bytes.", limit=MAX_IMPORT_BYTES))
    if request.mimetype != "text/csv":
        raise BadRequest(_("Send the file as the body with Content-Type: text/csv."))
    raw = request.get_data(cache=False)
    if len(raw) > MAX_IMPORT_BYTES:
        raise PayloadTooLarge(_("The file may be at most %(limit)s bytes.", limit=MAX_IMPORT_BYTES))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ValidationFailed(_("The file is not UTF-8 text."),
                               errors={"file": [_("Save the file as UTF-8.")]}) from None
    result = import_history(current_api_user(), read_rows(text), utcnow().year)
    db.session.commit()
    current_app.logger.info("History imported: %s new, %s skipped", result.imported, result.skipped)
    return ImportResultSchema().dump(result), 201
