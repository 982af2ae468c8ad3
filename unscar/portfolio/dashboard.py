"""What the dashboard shows beside the figures: its breakdowns (label, vocabulary, chart),
the filter each figure stands for, so that every number links to the list of projects
behind it, and a signed-in donor's own money.

A breakdown row links to the projects list with the current filters and the row's key
added. A project counts in each of its themes (regions, instruments, activity types), so
when the dashboard is already filtered on one theme, another theme's row counts the
projects holding both: one theme filter cannot express that, so that row has no link
rather than a link to a list of another length.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..extensions import db
from ..funds.models import Donor
from ..funds.services import donor_summary
from ..grants.labels import STATUS_LABELS as GRANT_STATUS_LABELS
from ..regions import REGIONS
from ..vocabulary import ACTIVITY_TYPE_LABELS, INSTRUMENT_LABELS, N_, ORGANISATION_TYPE_LABELS, THEME_LABELS, Labels
from .figures import totals
from .records import conditions, project_rows

_GENDER_MARKERS = {0: N_("0: not targeted"), 1: N_("1: significant objective"), 2: N_("2: principal objective")}
GENDER_MARKERS = Labels(_GENDER_MARKERS)
# The M49 regions a project may be filtered on: regions.REGION_LABELS without its "Other"
# (whose messages are these codes).
REGION_CHOICES = Labels({region: region for region in REGIONS})
# A project's status as the portfolio shows it (a grant's displayed status; imported history: closed).
STATUS_LABELS = GRANT_STATUS_LABELS["grant"]
# The filter form's choices, per filter.
VOCABULARIES = {"theme": THEME_LABELS, "region": REGION_CHOICES, "instrument": INSTRUMENT_LABELS,
                "activity_type": ACTIVITY_TYPE_LABELS, "applicant_type": ORGANISATION_TYPE_LABELS,
                "gender_marker": GENDER_MARKERS}
# The charts' labels: a project without a gender marker (imported history) is drawn too.
CHART_LABELS = {**VOCABULARIES, "gender_marker": Labels({**_GENDER_MARKERS, None: N_("not recorded")})}
# Breakdowns whose keys a project holds several of (see the module's docstring).
MULTIPLE = ("theme", "region", "instrument", "activity_type")


@dataclass(frozen=True)
class Breakdown:
    """A breakdown as the dashboard shows it. Each sentence is whole, per breakdown: a
    label dropped into "by ..." reads wrongly in the languages that inflect it."""

    name: str  # the figures key
    dimension: str  # the filter its keys are values of
    label: str
    heading: str
    caption: str
    chart_alt: str  # %(caption)s: the caption of its table
    chart_title: str
    note: str = ""  # for the breakdowns a project counts in several times

    @property
    def alt(self) -> str:
        return str(self.chart_alt) % {"caption": self.caption}


# In the page's order.
BREAKDOWNS = [
    Breakdown("by_year", "year", _l("Year"), _l("By year"),
              _l("Funded projects and USD approved, disbursed and spent by year"),
              _l("Bar chart of the USD approved, disbursed and spent by year; its figures are in the table "
                 "“%(caption)s” below."),
              _l("Funded projects by year (number of projects above the approved bar)")),
    Breakdown("by_theme", "theme", _l("Theme"), _l("By theme"), _l("Funded projects and USD approved by theme"),
              _l("Bar chart of the USD approved by theme; its figures are in the table “%(caption)s” below."),
              _l("USD approved by theme"), _l("(a project counts in each of its themes)")),
    Breakdown("by_region", "region", _l("Region"), _l("By region"), _l("Funded projects and USD approved by region"),
              _l("Bar chart of the USD approved by region; its figures are in the table “%(caption)s” below."),
              _l("USD approved by region"), _l("(a project counts in each of its regions)")),
    Breakdown("by_instrument", "instrument", _l("Instrument"), _l("By instrument"),
              _l("Funded projects and USD approved by instrument"),
              _l("Bar chart of the USD approved by instrument; its figures are in the table “%(caption)s” below."),
              _l("USD approved by instrument"), _l("(a project counts in each of its instruments)")),
    Breakdown("by_activity_type", "activity_type", _l("Activity type"), _l("By activity type"),
              _l("Funded projects and USD approved by activity type"),
              _l("Bar chart of the USD approved by activity type; its figures are in the table “%(caption)s” "
                 "below."),
              _l("USD approved by activity type"), _l("(a project counts in each of its activity types)")),
    Breakdown("by_applicant_type", "applicant_type", _l("Applicant type"), _l("By applicant type"),
              _l("Funded projects and USD approved by applicant type"),
              _l("Bar chart of the USD approved by applicant type; its figures are in the table “%(caption)s” "
                 "below."),
              _l("USD approved by applicant type")),
    Breakdown("by_gender_marker", "gender_marker", _l("Gender marker"), _l("By gender marker"),
              _l("Funded projects and USD approved by gender marker"),
              _l("Bar chart of the USD approved by gender marker; its figures are in the table “%(caption)s” "
                 "below."),
              _l("USD approved by gender marker")),
]
BY_DIMENSION = {breakdown.dimension: breakdown for breakdown in BREAKDOWNS}
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
