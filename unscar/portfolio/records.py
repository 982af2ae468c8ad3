"""The portfolio's one source: every funded project as a row, from the grants (a grant
exists from approval) and the imported history, in one UNION ALL; and the filters of
API.md "Portfolio" as SQL conditions on it.

Nothing else ever appears: a proposal is in the portfolio only through its grant, so
drafts, rejected or withdrawn proposals cannot. The money a grant received and spent is
summed from the fund's ledger by grant id in the same statement (no query per grant);
imported projects have no ledger entries, their money predates the system.
"""
from sqlalchemy import Integer, String, Text, case, cast, func, literal, null, or_, select, type_coerce
from sqlalchemy.sql import Subquery

from ..accounts.models import Organisation
from ..calls.models import Call
from ..dates import UTCDateTime
from ..funds.models import EntryKind, LedgerEntry
from ..grants.models import Grant
from ..money import Money
from ..proposals.models import Proposal
from ..regions import countries_in
from .models import PastProject

GRANT = "grant"
HISTORY = "history"
PROJECT_ORDER = "by year, newest first, then by reference"


def _grant_rows():
    return (select(
        literal(GRANT, String(10)).label("source"), Grant.id.label("grant_id"), Call.id.label("call_id"),
        Proposal.reference.label("reference"), Proposal.title.label("title"), Proposal.summary.label("summary"),
        Organisation.name.label("organisation"), Organisation.type.label("organisation_type"),
        Organisation.country.label("organisation_country"), Call.year.label("year"),
        Proposal.countries.label("countries"), Proposal.themes.label("themes"),
        Proposal.activity_types.label("activity_types"), Proposal.instruments.label("instruments"),
        Proposal.gender_marker.label("gender_marker"), Grant.approved_usd.label("approved_usd"),
        Grant.start_date.label("start_date"), Grant.end_date.label("end_date"),
        cast(Grant.status, String(20)).label("status"), Grant.created_at.label("approved_at"))
        .join(Proposal, Proposal.id == Grant.proposal_id).join(Call, Call.id == Proposal.call_id)
        .join(Organisation, Organisation.id == Grant.organisation_id))


def _history_rows():
    return select(
        literal(HISTORY, String(10)), type_coerce(null(), Integer), type_coerce(null(), Integer),
        PastProject.reference, PastProject.title, literal("", Text), PastProject.organisation_name,
        PastProject.organisation_type, PastProject.organisation_country, PastProject.year, PastProject.countries,
        PastProject.themes, PastProject.activity_types, PastProject.instruments, PastProject.gender_marker,
        PastProject.approved_usd, PastProject.start_date, PastProject.end_date, literal("closed", String(20)),
        type_coerce(null(), UTCDateTime()))


def _ledger_by_grant():
    """Per grant id: USD disbursed and spent (expenditure less its reversals)."""
    def total(*kinds):
        return case((LedgerEntry.kind.in_(kinds), LedgerEntry.amount_usd), else_=0)

    return (select(LedgerEntry.grant_id.label("grant_id"),
                   type_coerce(func.sum(total(EntryKind.disbursement)), Money()).label("disbursed_usd"),
                   type_coerce(func.sum(total(EntryKind.expenditure))
                               - func.sum(total(EntryKind.expenditure_reversal)), Money()).label("spent_usd"))
            .where(LedgerEntry.grant_id.is_not(None))
            .group_by(LedgerEntry.grant_id).subquery("grant_money"))


def project_rows() -> Subquery:
    """Every funded project, one row each, with its disbursed and spent USD (None for
    imported history), as a subquery to filter, aggregate or page."""
    projects = _grant_rows().union_all(_history_rows()).subquery("funded")
    money = _ledger_by_grant()
    return (select(projects, money.c.disbursed_usd, money.c.spent_usd)
            .outerjoin(money, money.c.grant_id == projects.c.grant_id).subquery("projects"))


def has_key(column, key: str):
    """A JSON list column holds `key` (vocabulary keys and country codes are stored quoted:
    the same text on SQLite and PostgreSQL, so one LIKE serves both)."""
    return cast(column, Text).contains(f'"{key}"', autoescape=True)


def in_region(projects, region: str):
    return or_(*(has_key(projects.c.countries, country) for country in countries_in(region)))


def donor_grant_ids(donor_id: int):
    """The grants the donor's money was attributed to when each approval was recorded."""
    return (select(LedgerEntry.grant_id).where(LedgerEntry.donor_id == donor_id,
                                               LedgerEntry.kind == EntryKind.commitment,
                                               LedgerEntry.grant_id.is_not(None)))


def conditions(projects, filters: dict) -> list:
    """API.md's filters, already validated, as conditions on project_rows()."""
    c = projects.c
    found = []
    if filters.get("year_from") is not None:
        found.append(c.year >= filters["year_from"])
    if filters.get("year_to") is not None:
        found.append(c.year <= filters["year_to"])
    for name, column in (("theme", c.themes), ("instrument", c.instruments), ("activity_type", c.activity_types)):
        if filters.get(name):
            found.append(has_key(column, filters[name]))
    if filters.get("region"):
        found.append(in_region(projects, filters["region"]))
    if filters.get("applicant_type"):
        found.append(c.organisation_type == filters["applicant_type"])
    if filters.get("gender_marker") is not None:
        found.append(c.gender_marker == filters["gender_marker"])
    if filters.get("donor_id") is not None:
        found.append(c.grant_id.in_(donor_grant_ids(filters["donor_id"])))
    if filters.get("call_id") is not None:
        found.append(c.call_id == filters["call_id"])
    return found


def filtered_projects(filters: dict):
    """(the project rows subquery, a SELECT of its rows matching `filters`, in PROJECT_ORDER)."""
    projects = project_rows()
    stmt = (select(projects).where(*conditions(projects, filters))
            .order_by(projects.c.year.desc(), projects.c.reference))
    return projects, stmt


def project_by_reference(reference: str):
    """The one funded project with this reference, or None."""
    projects = project_rows()
    return select(projects).where(projects.c.reference == reference)

