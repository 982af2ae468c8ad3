"""The public portfolio pages: the dashboard (figures, filters as a GET form, tables and
charts, the summary paragraph, downloads), the list of funded projects and each
project's public record. Anyone may read them, signed in or not."""
from types import SimpleNamespace

from flask import Blueprint, render_template, request
from marshmallow import EXCLUDE, ValidationError
from sqlalchemy import func, select

from ..charts import chart_response, version_key
from ..errors import ValidationFailed
from ..extensions import db
from ..inputs import page_arg
from ..regions import REGIONS
from ..vocabulary import ACTIVITY_TYPE_LABELS, INSTRUMENT_LABELS, ORGANISATION_TYPE_LABELS, THEME_LABELS
from . import charts
from .figures import portfolio_figures
from .queries import check_filter_ids, get_project_or_404
from .records import filtered_projects
from .schemas import FILTERS, PortfolioArgsSchema
from .summary import summary_text

bp = Blueprint("portfolio", __name__, url_prefix="/portfolio")
PER_PAGE = 50
CHARTED = {"theme": THEME_LABELS, "region": {r: r for r in REGIONS}, "instrument": INSTRUMENT_LABELS,
           "activity_type": ACTIVITY_TYPE_LABELS}
VOCABULARIES = {"theme": THEME_LABELS, "region": {r: r for r in REGIONS}, "instrument": INSTRUMENT_LABELS,
                "activity_type": ACTIVITY_TYPE_LABELS, "applicant_type": ORGANISATION_TYPE_LABELS,
                "gender_marker": {0: "0: not targeted", 1: "1: significant objective", 2: "2: principal objective"}}


def _filters() -> tuple[dict, dict]:
    """(filters, errors) from the query string: bad values are shown, never a 500."""
    args = {key: value for key, value in request.args.items() if key in FILTERS and value != ""}
    try:
        return check_filter_ids(PortfolioArgsSchema(unknown=EXCLUDE).load(args)), {}
    except ValidationError as error:
        return {}, error.messages
    except ValidationFailed as error:
        return {}, error.errors


def _query() -> dict:
    return {key: value for key, value in request.args.items() if key in FILTERS and value != ""}


@bp.get("/")
def index():
    filters, errors = _filters()
    figures = portfolio_figures(filters)
    return render_template("portfolio/index.html", figures=figures, summary=summary_text(figures, filters),
                           errors=errors, query=_query(), vocabularies=VOCABULARIES,
                           charted=CHARTED), 422 if errors else 200


@bp.get("/projects")
def projects():
    filters, errors = _filters()
    _projects, stmt = filtered_projects(filters)
    number = page_arg()
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.execute(stmt.limit(PER_PAGE).offset((number - 1) * PER_PAGE)).all()
    pages = max(1, -(-total // PER_PAGE))
    page = SimpleNamespace(items=rows, total=total, page=number, pages=pages, has_prev=number > 1,
                           prev_num=number - 1, has_next=number < pages, next_num=number + 1)
    return render_template("portfolio/projects.html", page=page, errors=errors, query=_query(),
                           vocabularies=VOCABULARIES), 422 if errors else 200


@bp.get("/projects/<reference>")
def project(reference):
    row = get_project_or_404(reference)
    return render_template("portfolio/project.html", project=row,
                           organisation_type=getattr(row.organisation_type, "value", row.organisation_type), themes=THEME_LABELS,
                           activity_types=ACTIVITY_TYPE_LABELS, instruments=INSTRUMENT_LABELS,
                           organisation_types=ORGANISATION_TYPE_LABELS)


@bp.get("/years.png")
def years_chart():
    filters, _errors = _filters()
    frame = charts.breakdown_frame(portfolio_figures(filters)["by_year"])
    return chart_response("portfolio-years", version_key(frame), lambda: charts.years_chart(frame), private=False)


@bp.get("/<any(theme, region, instrument, activity_type):breakdown>.png")
def breakdown_chart(breakdown):
    filters, _errors = _filters()
    frame = charts.breakdown_frame(portfolio_figures(filters)[f"by_{breakdown}"], CHARTED[breakdown])
    title = f"USD approved by {breakdown.replace('_', ' ')}"
    return chart_response(f"portfolio-{breakdown.replace('_', '-')}", version_key(frame),
                          lambda: charts.breakdown_chart(frame, title), private=False)
