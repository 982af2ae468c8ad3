"""What the dashboard shows beside the figures: its breakdowns (label, vocabulary, chart),
the filter each figure stands for, so that every number links to the list of projects
behind it, and a signed-in donor's own money.

A breakdown row links to the projects list with the current filters and the row's key
added. A project counts in each of its themes (regions, instruments, activity types), so
when the dashboard is already filtered on one theme, another theme's row counts the
projects holding both: one theme filter cannot express that, so that row has no link
rather than a link to a list of another length.
"""
from sqlalchemy import select

from ..extensions import db
from ..funds.models import Donor
from ..funds.services import donor_summary
from ..regions import REGIONS
from ..vocabulary import ACTIVITY_TYPE_LABELS, INSTRUMENT_LABELS, ORGANISATION_TYPE_LABELS, THEME_LABELS
from .figures import totals
from .records import conditions, project_rows

GENDER_MARKERS = {0: "0: not targeted", 1: "1: significant objective", 2: "2: principal objective"}
# The filter form's choices, per filter.
VOCABULARIES = {"theme": THEME_LABELS, "region": {r: r for r in REGIONS}, "instrument": INSTRUMENT_LABELS,
                "activity_type": ACTIVITY_TYPE_LABELS, "applicant_type": ORGANISATION_TYPE_LABELS,
                "gender_marker": GENDER_MARKERS}
# The charts' labels: a project without a gender marker (imported history) is drawn too.
CHART_LABELS = {**VOCABULARIES, "gender_marker": {**GENDER_MARKERS, None: "not recorded"}}
# Breakdowns whose keys a project holds several of (see the module's docstring).
MULTIPLE = ("theme", "region", "instrument", "activity_type")
# (figures key, heading label, the filter its keys are values of), in the page's order.
BREAKDOWNS = [("by_year", "Year", "year"), ("by_theme", "Theme", "theme"), ("by_region", "Region", "region"),
              ("by_instrument", "Instrument", "instrument"), ("by_activity_type", "Activity type", "activity_type"),
              ("by_applicant_type", "Applicant type", "applicant_type"),
              ("by_gender_marker", "Gender marker", "gender_marker")]
OWN_PROJECTS_SHOWN = 10


def row_filter(query: dict, dimension: str, key) -> dict | None:
    """The query string of the projects behind one breakdown row: the current filters and
    the row's key; None when no list holds exactly the row's projects."""
    if key is None:
        return None  # "not recorded": no filter selects a missing gender marker
    if dimension == "year":
        return {**query, "year_from": key, "year_to": key}
    if dimension in MULTIPLE and query.get(dimension) not in (None, str(key)):
        return None
    return {**query, dimension: key}


def own_donor(user) -> Donor | None:
    """The donor a signed-in donor's representative speaks for (users.donor_id), if any."""
    if not getattr(user, "is_authenticated", False) or not user.has_role("donor") or user.donor_id is None:
        return None
    return db.session.get(Donor, user.donor_id)


def own_figures(donor: Donor) -> dict:
    """What the donor gave (donor_summary) and the figures of the projects its money was
    attributed to (the list that the donor_id filter gives)."""
    projects = project_rows()
    return {"donor": donor, "summary": donor_summary(donor),
            "figures": totals(projects, conditions(projects, {"donor_id": donor.id}))}


def own_money(donor: Donor) -> dict:
    """own_figures and the newest projects the donor's money paid for, with its share of
    each; a fixed number of statements whatever the number of grants."""
    found = own_figures(donor)
    shares = {g["grant_id"]: g["attributed_usd"] for g in found["summary"]["grants"]}
    newest = sorted(shares, reverse=True)[:OWN_PROJECTS_SHOWN]
    projects = project_rows()
    rows = db.session.execute(select(projects).where(projects.c.grant_id.in_(newest))
                              .order_by(projects.c.grant_id.desc())).all() if newest else []
    return {**found, "projects": [{"row": row, "share_usd": shares[row.grant_id]} for row in rows]}
