"""The portfolio's figures (DESIGN.md "Reporting"): count, approved, disbursed, spent,
delivery rate, the series by year, every breakdown and the since-inception totals, for
any filtered set of funded projects.

Each figure is an aggregate over portfolio/records.project_rows() computed by the
database, exact in Decimal: a fixed handful of statements whatever the number of
projects. A project counts in full in each of its themes, regions, instruments and
activity types, so those breakdowns may sum to more than the total.
"""
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import case, func, select, type_coerce

from ..extensions import db
from ..money import Money
from ..regions import REGIONS
from ..vocabulary import ACTIVITY_TYPE_LABELS, INSTRUMENT_LABELS, THEME_LABELS, OrganisationType
from .records import GRANT, conditions, has_key, in_region, project_rows

ZERO = Decimal("0.00")
RATE = Decimal("0.0001")
# breakdown: (the JSON list column it reads, its keys in the order they are shown)
LIST_BREAKDOWNS = {
    "theme": ("themes", tuple(THEME_LABELS)),
    "region": ("countries", REGIONS),
    "instrument": ("instruments", tuple(INSTRUMENT_LABELS)),
    "activity_type": ("activity_types", tuple(ACTIVITY_TYPE_LABELS)),
}


def _money(expression):
    return type_coerce(func.sum(expression), Money())


def _entry(key, projects, approved) -> dict:
    return {"key": key, "projects": int(projects or 0), "approved_usd": approved or ZERO}


def totals(projects, where: list) -> dict:
    """Count, approved, disbursed and spent, and the delivery rate: spent over the
    approved amount of the grants this system manages (imported history has no ledger)."""
    c = projects.c
    row = db.session.execute(select(
        func.count(), _money(c.approved_usd), _money(c.disbursed_usd), _money(c.spent_usd),
        _money(case((c.source == GRANT, c.approved_usd), else_=0))).where(*where)).one()
    count, approved, disbursed, spent, managed = row
    managed = managed or ZERO
    rate = ((spent or ZERO) / managed).quantize(RATE, rounding=ROUND_HALF_UP) if managed else None
    return {"projects": count, "approved_usd": approved or ZERO, "disbursed_usd": disbursed or ZERO,
            "spent_usd": spent or ZERO, "delivery_rate": rate}


def grouped(projects, where: list, column) -> list[dict]:
    """[{key, projects, approved_usd}] per value of a plain column, in its order."""
    rows = db.session.execute(select(column, func.count(), _money(projects.c.approved_usd))
                              .where(*where).group_by(column).order_by(column)).all()
    return [_entry(key.value if isinstance(key, OrganisationType) else key, n, amount) for key, n, amount in rows]


def listed(projects, where: list, breakdowns=tuple(LIST_BREAKDOWNS)) -> dict[str, list[dict]]:
    """{breakdown: [{key, projects, approved_usd}]} for the JSON list columns, all in one
    statement of conditional sums; keys with no project are left out."""
    columns, keys = [], []
    for name in breakdowns:
        column_name, values = LIST_BREAKDOWNS[name]
        for key in values:
            holds = in_region(projects, key) if name == "region" else has_key(projects.c[column_name], key)
            columns += [func.count(case((holds, 1))), _money(case((holds, projects.c.approved_usd), else_=0))]
            keys.append((name, key))
    row = db.session.execute(select(*columns).where(*where)).one()
    found: dict[str, list[dict]] = {name: [] for name in breakdowns}
    for i, (name, key) in enumerate(keys):
        if row[2 * i]:
            found[name].append(_entry(key, row[2 * i], row[2 * i + 1]))
    return found


def portfolio_figures(filters: dict) -> dict:
    """Everything GET /portfolio answers but the summary paragraph (portfolio/summary.py)."""
    projects = project_rows()
    where = conditions(projects, filters)
    since = conditions(projects, {**filters, "year_from": None})
    figures = totals(projects, where)
    figures["by_year"] = grouped(projects, where, projects.c.year)
    figures["by_applicant_type"] = grouped(projects, where, projects.c.organisation_type)
    figures["by_gender_marker"] = grouped(projects, where, projects.c.gender_marker)
    figures.update({f"by_{name}": entries for name, entries in listed(projects, where).items()})
    # Without a first year the filtered projects are those since inception: one statement less.
    inception = figures if filters.get("year_from") is None else totals(projects, since)
    figures["since_inception"] = {key: inception[key]
                                  for key in ("projects", "approved_usd", "disbursed_usd", "spent_usd")}
    return figures
