"""The bare SQL aggregation behind GET /api/v1/portfolio: every figure the API answers,
computed by the database alone, as hand-written SQL run on a DB-API cursor, without the
application. It is the yardstick of the API's target (issue 15: "within 1.5 times the
bare SQL aggregation it needs").

The application reads one row per project and groups them in Python (portfolio/
figures.py); here the database groups: the totals, the year series with the money
received and spent, the applicant types and gender markers, and the JSON lists expanded
in SQL (json_each on SQLite, json_array_elements_text on PostgreSQL), a project counted
once per region through a country-to-region table. check() makes sure both give the same
figures, so the yardstick measures the same answer.
"""
from decimal import Decimal

from sqlalchemy import select

from unscar.portfolio.records import project_rows
from unscar.regions import REGIONS, countries_in

LISTS = {"by_theme": "themes", "by_instrument": "instruments", "by_activity_type": "activity_types"}


def statements(dialect) -> dict[str, str]:
    """{figure: SQL} for the unfiltered portfolio on `dialect`."""
    projects = select(project_rows()).compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    with_projects = f"WITH projects AS ({projects}) "
    sqlite = dialect.name == "sqlite"

    def expanded(column: str) -> str:
        if sqlite:
            return f"projects, json_each(projects.{column}) AS element"
        return f"projects CROSS JOIN LATERAL json_array_elements_text(projects.{column}) AS element(value)"

    pairs = ", ".join(f"('{country}', '{region}')" for region in REGIONS for country in countries_in(region))
    regions = (f"(VALUES {pairs}) AS regions" if sqlite else f"(VALUES {pairs}) AS regions(column1, column2)")
    found = {
        "totals": "SELECT count(*), sum(approved_usd), sum(disbursed_usd), sum(spent_usd) FROM projects",
        "by_year": "SELECT year, count(*), sum(approved_usd), sum(disbursed_usd), sum(spent_usd) FROM projects "
                   "GROUP BY year",
        "by_applicant_type": "SELECT organisation_type, count(*), sum(approved_usd) FROM projects "
                             "GROUP BY organisation_type",
        "by_gender_marker": "SELECT gender_marker, count(*), sum(approved_usd) FROM projects GROUP BY gender_marker",
        "by_region": f"SELECT region, count(*), sum(approved_usd) FROM (SELECT DISTINCT projects.source, "
                     f"projects.reference, projects.approved_usd, regions.column2 AS region FROM {expanded('countries')} "
                     f"JOIN {regions} ON regions.column1 = element.value) AS held GROUP BY region",
    }
    for name, column in LISTS.items():
        found[name] = f"SELECT element.value, count(*), sum(approved_usd) FROM {expanded(column)} GROUP BY element.value"
    return {name: with_projects + sql for name, sql in found.items()}


def run(raw, sql: dict[str, str]) -> dict[str, list[tuple]]:
    cursor = raw.cursor()
    try:
        answers = {}
        for name, statement in sql.items():
            cursor.execute(statement)
            answers[name] = cursor.fetchall()
        return answers
    finally:
        cursor.close()
        raw.rollback()


def check(answers: dict[str, list[tuple]], figures: dict, dialect_name: str) -> None:
    """The database's figures are the API's: raise AssertionError otherwise."""
    def usd(value) -> Decimal:
        # SQLite keeps money as integer cents (money.Money); PostgreSQL as NUMERIC.
        return (Decimal(value or 0) / 100 if dialect_name == "sqlite" else Decimal(value or 0)).quantize(Decimal("0.01"))

    count, approved, disbursed, spent = answers["totals"][0]
    assert (count, usd(approved), usd(disbursed), usd(spent)) == (
        figures["projects"], Decimal(figures["approved_usd"]), Decimal(figures["disbursed_usd"]),
        Decimal(figures["spent_usd"])), "the totals differ"
    for name in ("by_applicant_type", "by_gender_marker", "by_region", *LISTS):
        ours = {str(key): (n, usd(amount)) for key, n, amount in answers[name]}
        theirs = {str(e["key"]): (e["projects"], Decimal(e["approved_usd"])) for e in figures[name]}
        assert ours == theirs, f"{name} differs"
    years = {year: (n, usd(a), usd(d), usd(s)) for year, n, a, d, s in answers["by_year"]}
    assert years == {e["key"]: (e["projects"], Decimal(e["approved_usd"]), Decimal(e["disbursed_usd"]),
                                Decimal(e["spent_usd"])) for e in figures["by_year"]}, "by_year differs"
