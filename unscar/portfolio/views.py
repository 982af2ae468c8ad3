"""The public portfolio pages: the dashboard (figures, filters as a GET form, tables and
charts, the summary paragraph, downloads), the list of funded projects and each
project's public record. Anyone may read them, signed in or not."""
from types import SimpleNamespace

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user
from marshmallow import EXCLUDE, ValidationError
from sqlalchemy import func, select

from ..charts import chart_response, version_key
from ..errors import ValidationFailed
from ..extensions import db
from ..inputs import page_arg
from ..vocabulary import ACTIVITY_TYPE_LABELS, INSTRUMENT_LABELS, ORGANISATION_TYPE_LABELS, THEME_LABELS
from . import charts
from .dashboard import (BREAKDOWNS, BY_DIMENSION, CHART_LABELS, STATUS_LABELS, VOCABULARIES, own_donor, own_money,
                        row_filter)
from .cache import cached_figures
from .queries import check_filter_ids, get_project_or_404
from .records import filtered_projects
from .schemas import FILTERS, PortfolioArgsSchema
from .summary import summary_text

bp = Blueprint("portfolio", __name__, url_prefix="/portfolio")
PER_PAGE = 50


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


def _links(shown: dict) -> dict:
    """The projects behind the figures of `shown` filters: all of them, those since
    inception (figures.py drops year_from) and a function giving each breakdown row's."""
    def row_url(dimension: str, key) -> str | None:
        query = row_filter(shown, dimension, key)
        return None if query is None else url_for("portfolio.projects", **query)

    since = {key: value for key, value in shown.items() if key != "year_from"}
    return {"listed": url_for("portfolio.projects", **shown), "since_url": url_for("portfolio.projects", **since),
            "row_url": row_url}


@bp.get("/")
def index():
    filters, errors = _filters()
    figures = cached_figures(filters)
    donor = own_donor(current_user)
    shown = {} if errors else _query()  # the filters of the figures shown: links keep them
    return render_template("portfolio/index.html", figures=figures, summary=summary_text(figures, filters),
                           errors=errors, query=_query(), shown=shown, vocabularies=VOCABULARIES,
                           chart_labels=CHART_LABELS, breakdowns=BREAKDOWNS, own_donor_id=donor.id if donor else None,
                           mine=own_money(donor) if donor else None, **_links(shown)), 422 if errors else 200


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
    donor = own_donor(current_user)
    return render_template("portfolio/projects.html", page=page, errors=errors, query=_query(),
                           vocabularies=VOCABULARIES, statuses=STATUS_LABELS,
                           own_donor_id=donor.id if donor else None), 422 if errors else 200


@bp.get("/projects/<reference>")
def project(reference):
    row = get_project_or_404(reference)
    return render_template("portfolio/project.html", project=row,
                           organisation_type=getattr(row.organisation_type, "value", row.organisation_type), themes=THEME_LABELS,
                           activity_types=ACTIVITY_TYPE_LABELS, instruments=INSTRUMENT_LABELS,
                           organisation_types=ORGANISATION_TYPE_LABELS, statuses=STATUS_LABELS)


@bp.get("/years.png")
def years_chart():
    filters, _errors = _filters()
    frame = charts.years_frame(cached_figures(filters)["by_year"])
    title = str(BY_DIMENSION["year"].chart_title)
    return chart_response("portfolio-years-3", version_key(frame), lambda: charts.years_chart(frame, title),
                          private=False)


@bp.get("/<any(theme, region, instrument, activity_type, applicant_type, gender_marker):breakdown>.png")
def breakdown_chart(breakdown):
    filters, _errors = _filters()
    frame = charts.breakdown_frame(cached_figures(filters)[f"by_{breakdown}"], CHART_LABELS[breakdown])
    title = str(BY_DIMENSION[breakdown].chart_title)
    return chart_response(f"portfolio-{breakdown.replace('_', '-')}-2", version_key(frame),
                          lambda: charts.breakdown_chart(frame, title), private=False)
