"""The portfolio's figures (DESIGN.md "Reporting"): count, approved, disbursed, spent,
delivery rate, the series by year, every breakdown and the since-inception totals, for
any filtered set of funded projects.

The database filters portfolio/records.project_rows() and sums each grant's ledger once,
in ONE statement per request, handing back a few columns per project; the figures are
then grouped here, exact in Decimal. Asking the database for each figure apart re-ran
the union and the ledger sums every time, and a region's breakdown tested each of its
countries with its own LIKE (about 250 per row): seconds at 20,000 grants. A project
counts in full in each of its themes, regions, instruments and activity types, so those
breakdowns may sum to more than the total.
"""
import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, Text, case, cast, func, select, type_coerce

from ..extensions import db
from ..money import CENT, Money
from ..regions import REGIONS, regions_of
from ..vocabulary import ACTIVITY_TYPE_LABELS, INSTRUMENT_LABELS, THEME_LABELS, OrganisationType
from .records import GRANT, conditions, project_rows

ZERO = Decimal("0.00")
RATE = Decimal("0.0001")
# breakdown: (the JSON list column it reads, its keys in the order they are shown)
LIST_BREAKDOWNS = {
    "theme": ("themes", tuple(THEME_LABELS)),
    "region": ("countries", REGIONS),
    "instrument": ("instruments", tuple(INSTRUMENT_LABELS)),
    "activity_type": ("activity_types", tuple(ACTIVITY_TYPE_LABELS)),
}
# The breakdowns the summary paragraph names for a year (portfolio/summary.py).
COVERAGE = ("theme", "activity_type")


@dataclass(slots=True)
class Project:
    """What the figures read of one funded project."""
    year: int
    organisation_type: str
    gender_marker: int | None
    keys: dict  # breakdown: the keys the project holds (a project's regions, not its countries)
    managed: bool  # a grant of this system, not imported history
    # Integer cents, summed as integers and made Decimal once per figure (_usd): a Decimal
    # per row and per sum cost more than the database's whole statement at 20,000 grants.
    approved: int
    disbursed: int | None
    spent: int | None


class _ListReader:
    """The keys of a JSON list column's text, and the regions of a countries list: the
    same lists recur across projects, so each distinct text is read once per request."""

    def __init__(self):
        self.keys, self.regions = {}, {}

    def keys_of(self, text: str | None) -> frozenset:
        found = self.keys.get(text)
        if found is None:
            found = self.keys[text] = frozenset(json.loads(text) or ()) if text else frozenset()
        return found

    def regions_of(self, text: str | None) -> frozenset:
        found = self.regions.get(text)
        if found is None:
            found = self.regions[text] = frozenset(regions_of(self.keys_of(text)))
        return found


def funded_projects(filters: dict) -> list[Project]:
    """The projects matching `filters`, in one statement. year_from is left to the caller
    (portfolio_figures keeps the earlier years for the since-inception totals); region is
    tested here on the regions of each project's countries, not by a LIKE per country."""
    projects = project_rows()
    c = projects.c
    where = conditions(projects, {**filters, "year_from": None, "region": None})
    columns = [cast(c[column], Text) for column, _keys_ in LIST_BREAKDOWNS.values()]
    # On the session's connection: a Core result, without the ORM's per-row work.
    connection = db.session.connection()
    cents = _cents_reader(connection.dialect.name)
    rows = connection.execute(select(c.year, cast(c.organisation_type, Text), c.gender_marker, c.source,
                                     cents(c.approved_usd), cents(c.disbursed_usd), cents(c.spent_usd),
                                     *columns).where(*where)).all()
    reader, region, found = _ListReader(), filters.get("region"), []
    for year, organisation_type, gender_marker, source, approved, disbursed, spent, *lists in rows:
        themes, countries, instruments, activity_types = lists
        keys = {"theme": reader.keys_of(themes), "region": reader.regions_of(countries),
                "instrument": reader.keys_of(instruments), "activity_type": reader.keys_of(activity_types)}
        if region and region not in keys["region"]:
            continue
        found.append(Project(year, organisation_type, gender_marker, keys, source == GRANT, approved, disbursed, spent))
    return found


def _cents_reader(dialect: str):
    """A money column as integer cents: SQLite stores them so (money.Money); PostgreSQL's
    NUMERIC(14, 2) times 100 is a whole number, so the cast is exact."""
    if dialect == "sqlite":
        return lambda column: type_coerce(column, BigInteger)
    return lambda column: cast(column * 100, BigInteger)


def _usd(cents: int) -> Decimal:
    return (Decimal(cents) / 100).quantize(CENT)


def totals(projects, where: list) -> dict:
    """totals_of() as one aggregate statement over project_rows(), for the pages that
    show only the totals (the home page's card, a donor's own projects)."""
    c = projects.c

    def money(expression):
        return type_coerce(func.sum(expression), Money())

    row = db.session.execute(select(
        func.count(), money(c.approved_usd), money(c.disbursed_usd), money(c.spent_usd),
        money(case((c.source == GRANT, c.approved_usd), else_=0))).where(*where)).one()
    count, approved, disbursed, spent, managed = row
    managed = managed or ZERO
    rate = ((spent or ZERO) / managed).quantize(RATE, rounding=ROUND_HALF_UP) if managed else None
    return {"projects": count, "approved_usd": approved or ZERO, "disbursed_usd": disbursed or ZERO,
            "spent_usd": spent or ZERO, "delivery_rate": rate}


def _sum(amounts) -> Decimal:
    return _usd(sum(amount for amount in amounts if amount is not None))


def _entry(key, tally: list) -> dict:
    return {"key": key, "projects": tally[0], "approved_usd": _usd(tally[1])}


def by_year(projects: list[Project]) -> list[dict]:
    """[{key, projects, approved_usd, disbursed_usd, spent_usd}] per year, oldest first:
    the time series. Imported history adds to the count and the approved amount only (its
    money predates the ledger), as in totals_of."""
    years = {}
    for project in projects:
        tally = years.get(project.year)
        if tally is None:
            tally = years[project.year] = [0, 0, 0, 0]
        tally[0] += 1
        tally[1] += project.approved
        if project.disbursed is not None:
            tally[2] += project.disbursed
        if project.spent is not None:
            tally[3] += project.spent
    return [{"key": year, "projects": t[0], "approved_usd": _usd(t[1]), "disbursed_usd": _usd(t[2]),
             "spent_usd": _usd(t[3])} for year, t in sorted(years.items())]


def _add(tallies: dict, key, project: Project) -> None:
    """Count the project and its approved cents under `key` ([projects, approved])."""
    tally = tallies.get(key)
    if tally is None:
        tallies[key] = [1, project.approved]
    else:
        tally[0] += 1
        tally[1] += project.approved


def totals_of(projects: list[Project]) -> dict:
    """Count, approved, disbursed and spent, and the delivery rate: spent over the
    approved amount of the grants this system manages (imported history has no ledger)."""
    managed = _sum(p.approved for p in projects if p.managed)
    spent = _sum(p.spent for p in projects)
    rate = (spent / managed).quantize(RATE, rounding=ROUND_HALF_UP) if managed else None
    return {"projects": len(projects), "approved_usd": _sum(p.approved for p in projects),
            "disbursed_usd": _sum(p.disbursed for p in projects), "spent_usd": spent, "delivery_rate": rate}


def _none_first() -> bool:
    """Where ORDER BY puts a missing value: first on SQLite, last on PostgreSQL. The
    figures were once ordered by the database; the order shown stays the one it gave."""
    return db.session.get_bind().dialect.name == "sqlite"


def grouped(projects: list[Project], attribute: str) -> list[dict]:
    """[{key, projects, approved_usd}] per value of a plain attribute, in its order."""
    groups = {}
    for project in projects:
        _add(groups, getattr(project, attribute), project)
    none_rank = -1 if _none_first() else 1
    order = sorted(groups, key=lambda key: (0, key) if key is not None else (none_rank, 0))
    return [_entry(key, groups[key]) for key in order]


def listed(projects: list[Project], breakdowns=tuple(LIST_BREAKDOWNS)) -> dict[str, list[dict]]:
    """{breakdown: [{key, projects, approved_usd}]} for the JSON list columns, in each
    vocabulary's order; keys with no project are left out."""
    groups = {name: {} for name in breakdowns}
    for project in projects:
        for name in breakdowns:
            for key in project.keys[name]:
                _add(groups[name], key, project)
    return {name: [_entry(key, groups[name][key]) for key in LIST_BREAKDOWNS[name][1] if key in groups[name]]
            for name in breakdowns}


def coverage_by_year(projects: list[Project]) -> dict[int, dict[str, list[str]]]:
    """{year: {breakdown: its keys the year's projects hold, in vocabulary order}} for
    the summary paragraph's themes and activity types."""
    held = defaultdict(lambda: {name: set() for name in COVERAGE})
    for project in projects:
        for name in COVERAGE:
            held[project.year][name] |= project.keys[name]
    return {year: {name: [key for key in LIST_BREAKDOWNS[name][1] if key in keys[name]] for name in COVERAGE}
            for year, keys in held.items()}


def portfolio_figures(filters: dict) -> dict:
    """Everything GET /portfolio answers but the summary paragraph (portfolio/summary.py),
    which reads "coverage_by_year" (not part of the API's answer)."""
    inception = funded_projects(filters)
    first = filters.get("year_from")
    shown = inception if first is None else [p for p in inception if p.year >= first]
    figures = totals_of(shown)
    figures["by_year"] = by_year(shown)
    figures["by_applicant_type"] = grouped(shown, "organisation_type")
    figures["by_gender_marker"] = grouped(shown, "gender_marker")
    figures.update({f"by_{name}": entries for name, entries in listed(shown).items()})
    since = figures if first is None else totals_of(inception)
    figures["since_inception"] = {key: since[key] for key in ("projects", "approved_usd", "disbursed_usd", "spent_usd")}
    figures["coverage_by_year"] = coverage_by_year(shown)
    return figures
