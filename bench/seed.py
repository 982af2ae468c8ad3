"""Bulk seeding of a fund ten years old: calls, organisations, 100,000 proposals with their
budget lines, 20,000 grants with their approved budget lines, tranches, disbursements,
reports and the ledger entries behind them, and the donors' contributions (scaled by
BENCH_SCALE).

Rows are written with SQLAlchemy Core, many at once (executemany; COPY on PostgreSQL),
with ids chosen here, so nothing is read back; the services are not used: they check and
audit one change at a time, which is what the benchmark measures elsewhere. A fixed seed
makes every run hold the same data.
"""
import io
import json
import random
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from sqlalchemy import text
from werkzeug.security import generate_password_hash

from unscar.extensions import db
from unscar.regions import REGIONS, countries_in
from unscar.vocabulary import ACTIVITY_TYPE_LABELS, INSTRUMENT_LABELS, THEME_LABELS, OrganisationType

PASSWORD = "bench-password-1"
YEARS = range(2016, 2026)
CALLS_PER_YEAR = 2
DONORS = 12
CATEGORIES = ("staff", "travel", "contractual", "supplies", "general_operating")
LOSING = ("rejected", "not_recommended", "screened_out", "withdrawn")
WORDS = ("radiation", "exposure", "assessment", "sources", "effects", "medical", "occupational", "public",
         "environmental", "dose", "monitoring", "capacity", "regional", "network", "data", "training")
NOW = datetime(2026, 1, 15, tzinfo=timezone.utc)
BATCH = 5_000


class Seeder:
    """Writes the rows; `ids` hands out each table's next id."""

    def __init__(self, scale: float, seed: int = 20261206):
        self.scale = scale
        self.rng = random.Random(seed)
        self.ids: dict[str, int] = {}
        self.password_hash = generate_password_hash(PASSWORD)
        self.countries = {region: countries_in(region) for region in REGIONS}

    def next_id(self, table: str) -> int:
        self.ids[table] = self.ids.get(table, 0) + 1
        return self.ids[table]

    def insert(self, table: str, rows: list[dict]) -> None:
        if not rows:
            return
        columns = list(rows[0])
        if db.engine.dialect.name == "postgresql":
            _copy(table, columns, rows)
        else:
            stmt = db.metadata.tables[table].insert()
            for start in range(0, len(rows), BATCH):
                db.session.execute(stmt, rows[start:start + BATCH])

    def words(self, count: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(count))

    def some(self, keys, low: int, high: int) -> list:
        return sorted(self.rng.sample(list(keys), self.rng.randint(low, high)))

    def place(self) -> list[str]:
        region = self.rng.choices(REGIONS, weights=(4, 2, 3, 1, 1))[0]
        return sorted(self.rng.sample(self.countries[region], self.rng.randint(1, 2)))


def _copy(table: str, columns: list[str], rows: list[dict]) -> None:
    """COPY FROM STDIN in text format: the fastest way into PostgreSQL."""
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(_copy_text(row[c]) for c in columns) + "\n")
    raw = db.session.connection().connection.driver_connection
    with raw.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())


def _copy_text(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, (list, dict)):
        value = json.dumps(value)
    elif isinstance(value, bool):
        value = "t" if value else "f"
    else:
        value = str(value)
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def seed_people(s: Seeder, organisations: int) -> dict:
    """The secretariat (user 1), a donor's user (2), an applicant (3), the organisations
    and the donors. Returns the ids the rest needs."""
    types = [t.value for t in OrganisationType]
    orgs = [{"id": s.next_id("organisations"), "name": f"Organisation {i:05d}", "type": s.rng.choice(types),
             "country": s.place()[0], "created_at": NOW} for i in range(organisations)]
    s.insert("organisations", orgs)
    donors = [{"id": s.next_id("donors"), "name": f"Donor {i:02d}", "country": "DEU", "created_at": NOW}
              for i in range(DONORS)]
    s.insert("donors", donors)
    users = [_user(s, "secretariat@bench.example", None, None), _user(s, "donor@bench.example", None, 1),
             _user(s, "applicant@bench.example", 1, None)]
    s.insert("users", users)
    s.insert("user_roles", [{"user_id": 1, "role": "secretariat"}, {"user_id": 2, "role": "donor"},
                            {"user_id": 3, "role": "applicant"}])
    return {"organisations": [o["id"] for o in orgs], "donors": [d["id"] for d in donors]}


def _user(s: Seeder, email: str, organisation_id, donor_id) -> dict:
    return {"id": s.next_id("users"), "email": email, "name": email.split("@")[0].title(),
            "password_hash": s.password_hash, "organisation_id": organisation_id, "donor_id": donor_id,
            "active": True, "created_at": NOW}


def call_row(s: Seeder, year: int, status: str, **overrides) -> dict:
    opens = datetime(year, 2, 1, tzinfo=timezone.utc)
    return {"id": s.next_id("calls"), "year": year, "title": f"Call {year} {s.ids['calls']}",
            "description": s.words(40), "guidelines": s.words(40), "status": status, "opens_at": opens,
            "closes_at": opens + timedelta(days=60), "review_closes_at": opens + timedelta(days=120),
            "envelope_usd": Decimal("5000000.00"), "min_budget_usd": Decimal("20000.00"),
            "max_budget_usd": Decimal("300000.00"), "min_duration_months": 6, "max_duration_months": 36,
            "indirect_cap_pct": Decimal("7.00"), "eligible_applicant_types": [], "eligible_countries": [],
            "eligible_regions": [], "themes": [], "instruments": [], "blind_review": False,
            "reviewers_per_proposal": 3, "scale_max": 5, "created_at": opens, "updated_at": opens, **overrides}


def proposal_rows(s: Seeder, call: dict, organisation_id: int, status: str, **overrides) -> tuple[dict, list[dict]]:
    """A proposal and its budget lines (three), its requested amount their sum."""
    pid = s.next_id("proposals")
    lines = [{"id": s.next_id("budget_lines"), "proposal_id": pid, "position": i + 1, "category": category,
              "description": s.words(5), "unit": "lump sum", "quantity": Decimal("1.00"),
              "unit_cost_usd": (amount := Decimal(s.rng.randint(500_000, 6_000_000)) / 100),
              "amount_usd": amount, "year": call["year"]} for i, category in enumerate(s.rng.sample(CATEGORIES, 3))]
    submitted = call["closes_at"] - timedelta(days=1)
    proposal = {
        "id": pid, "call_id": call["id"], "organisation_id": organisation_id, "created_by_id": 3,
        "reference": f"UNSCAR-{call['year']}-{pid:06d}", "status": status, "title": s.words(7).capitalize(),
        "summary": s.words(60), "objectives": s.words(30), "results": [],
        "activity_types": s.some(ACTIVITY_TYPE_LABELS, 1, 2), "themes": s.some(THEME_LABELS, 1, 3),
        "instruments": s.some(INSTRUMENT_LABELS, 1, 1), "countries": s.place(),
        "start_date": date(call["year"], 7, 1), "duration_months": 24, "gender_marker": s.rng.choice((0, 1, 2)),
        "risks": s.words(20), "sustainability": s.words(20), "cofunding_usd": None,
        "language": s.rng.choices(("en", "fr", "es"), weights=(8, 1, 1))[0],
        "requested_usd": sum(line["amount_usd"] for line in lines), "submitted_at": submitted,
        "checks_snapshot": None, "screening_reason": None, "deleted_at": None, "created_at": submitted,
        "updated_at": submitted, **overrides}
    return proposal, lines


def seed_portfolio(scale: float) -> dict:
    """The whole fund at `scale` (1 = 100,000 proposals, 20,000 grants); commits. Returns counts."""
    s = Seeder(scale)
    n_proposals, n_grants = max(50, round(100_000 * scale)), max(10, round(20_000 * scale))
    people = seed_people(s, max(50, round(5_000 * scale)))
    calls = [call_row(s, year, "decided") for year in YEARS for _ in range(CALLS_PER_YEAR)]
    s.insert("calls", calls)
    funded = set(s.rng.sample(range(n_proposals), n_grants))
    proposals, lines, grants = [], [], []
    for i in range(n_proposals):
        call = calls[i % len(calls)]
        status = "approved" if i in funded else s.rng.choice(LOSING)
        proposal, its_lines = proposal_rows(s, call, s.rng.choice(people["organisations"]), status)
        proposals.append(proposal)
        lines += its_lines
        if i in funded:
            grants.append((proposal, its_lines, call))
    s.insert("proposals", proposals)
    s.insert("budget_lines", lines)
    counts = {"proposals": len(proposals), "budget_lines": len(lines)}
    counts.update(seed_grants(s, grants, people["donors"]))
    counts["ledger_entries"] += seed_contributions(s, people["donors"], sum(p["requested_usd"] for p, _, _ in grants))
    db.session.commit()
    reset_sequences(s)
    return counts


def seed_grants(s: Seeder, grants: list, donors: list[int]) -> dict:
    rows = {name: [] for name in ("grants", "grant_budget_lines", "tranches", "disbursements", "grant_reports",
                                  "grant_report_lines", "ledger_entries")}
    for proposal, lines, call in grants:
        _grant(s, rows, proposal, lines, call, s.rng.choice(donors))
    for table, table_rows in rows.items():
        s.insert(table, table_rows)
    return {table: len(table_rows) for table, table_rows in rows.items()}


def _grant(s: Seeder, rows: dict, proposal: dict, lines: list[dict], call: dict, donor_id: int) -> None:
    """One grant, its money and its reports: older grants have been paid in full and have
    spent; the newest only their first tranche."""
    gid, year = s.next_id("grants"), call["year"]
    approved = proposal["requested_usd"]
    start, approved_at = date(year, 7, 1), datetime(year, 6, 1, tzinfo=timezone.utc)
    old = year <= 2022
    rows["grants"].append({
        "id": gid, "proposal_id": proposal["id"], "organisation_id": proposal["organisation_id"],
        "agreement_number": f"UNSCAR-AGR-{gid:06d}", "approved_usd": approved, "start_date": start,
        "end_date": date(year + 2, 6, 30), "status": "closed" if old else "active", "created_at": approved_at,
        "created_by_id": 1, "closed_at": datetime(year + 3, 1, 1, tzinfo=timezone.utc) if old else None})
    for line in lines:
        rows["grant_budget_lines"].append({"id": s.next_id("grant_budget_lines"), "grant_id": gid,
                                           "position": line["position"], "category": line["category"],
                                           "description": line["description"], "year": year,
                                           "amount_usd": line["amount_usd"]})
    first = (approved * Decimal("0.70")).quantize(Decimal("0.01"))
    tranches = [(first, "on_approval"), (approved - first, "on_interim_acceptance")]
    for position, (amount, condition) in enumerate(tranches, 1):
        rows["tranches"].append({"id": s.next_id("tranches"), "grant_id": gid, "position": position,
                                 "amount_usd": amount, "condition": condition, "due_on": None})
    _ledger(s, rows, gid, "commitment", approved, start, donor_id=donor_id)
    for amount, _condition in tranches[:2 if old else 1]:
        rows["disbursements"].append({"id": s.next_id("disbursements"), "grant_id": gid, "amount_usd": amount,
                                      "paid_on": start, "override_reason": None, "created_by_id": 1,
                                      "created_at": approved_at})
        _ledger(s, rows, gid, "disbursement", amount, start)
    _reports(s, rows, gid, year, first, old)


def _reports(s: Seeder, rows: dict, gid: int, year: int, first: Decimal, old: bool) -> None:
    """The interim financial and narrative reports (accepted for older grants, due for the
    newest), the financial one with its lines and the expenditure it entered."""
    period = (date(year, 7, 1), date(year + 1, 6, 30))
    status = "accepted" if old else "due"
    for kind in ("financial", "narrative"):
        rid = s.next_id("grant_reports")
        rows["grant_reports"].append({
            "id": rid, "grant_id": gid, "kind": kind, "stage": "interim", "period_start": period[0],
            "period_end": period[1], "due_date": date(year + 1, 8, 1), "status": status,
            "text": s.words(40) if kind == "narrative" and old else None, "comment": None,
            "submitted_at": NOW if old else None, "submitted_by_id": 3 if old else None,
            "reviewed_at": NOW if old else None, "reviewed_by_id": 1 if old else None})
        if kind == "financial" and old:
            spent = (first * Decimal("0.9")).quantize(Decimal("0.01"))
            half = (spent / 2).quantize(Decimal("0.01"))
            for category, amount in (("staff", half), ("travel", spent - half)):
                rows["grant_report_lines"].append({"id": s.next_id("grant_report_lines"), "report_id": rid,
                                                   "category": category, "amount_usd": amount})
            _ledger(s, rows, gid, "expenditure", spent, period[1])


def _ledger(s: Seeder, rows: dict, grant_id, kind: str, amount: Decimal, on: date, donor_id=None,
            contribution_id=None) -> None:
    rows["ledger_entries"].append({"id": s.next_id("ledger_entries"), "kind": kind, "amount_usd": amount,
                                   "contribution_id": contribution_id, "donor_id": donor_id,
                                   "grant_id": grant_id, "on_date": on, "created_at": NOW, "actor_id": 1,
                                   "note": None})


def seed_contributions(s: Seeder, donors: list[int], committed: Decimal) -> int:
    """One received contribution per donor and year, together a fifth more than committed."""
    each = (committed * Decimal("1.2") / (len(donors) * len(YEARS)) / Decimal("0.87")).quantize(Decimal("0.01"))
    contributions, rows = [], {"ledger_entries": []}
    for year in YEARS:
        for donor_id in donors:
            cid = s.next_id("contributions")
            on = date(year, 1, 15)
            contributions.append({"id": cid, "donor_id": donor_id, "amount": each, "currency": "USD",
                                  "usd_rate": Decimal("1.000000"), "status": "received", "pledged_on": on,
                                  "received_on": on, "earmark": None, "created_by_id": 1, "created_at": NOW})
            _ledger(s, rows, None, "received", each, on, donor_id=donor_id, contribution_id=cid)
            _ledger(s, rows, None, "psc", (each * Decimal("0.13")).quantize(Decimal("0.01")), on,
                    donor_id=donor_id, contribution_id=cid)
    s.insert("contributions", contributions)
    s.insert("ledger_entries", rows["ledger_entries"])
    return len(rows["ledger_entries"])


def reset_sequences(s: Seeder) -> None:
    """Ids were chosen here: move PostgreSQL's sequences past them, so the application's
    own inserts get fresh ones, and refresh the planner's statistics."""
    if db.engine.dialect.name != "postgresql":
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        return
    for table, last in s.ids.items():
        if last:
            db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), {last})"))
    db.session.commit()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
