"""Load at the deadline on the several-server deployment, from loopback.

Two gunicorn servers and the mail worker on a private PostgreSQL cluster and Redis
(tests/deploy/servers.py). Applicants save their drafts and submit them around the call's
deadline, reviewers save and submit their reviews, and the secretariat approves the
proposals of another call, two clerks racing for each, more than the fund can pay for,
all at once through both servers, while one client times a bare endpoint
(GET /api/v1/me) on the same servers. Then the database is checked: no 5xx, every
acknowledged save and submission is there exactly once, nothing submitted after the
deadline or without acknowledgement, the fund never over-committed.

`python bench/load.py` (LOAD_APPLICANTS, LOAD_REVIEWERS, LOAD_DECISIONS scale it) writes
bench/LOAD.md and exits 1 when a check fails; tests/deploy/test_load.py runs it smaller.
"""
import os
import random
import statistics
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

REPORT = HERE / "LOAD.md"
FUND_USD = Decimal("1000000.00")  # 870,000 programmable at 13% support costs: nine approvals of 93,321
SAVES = 3


@dataclass
class Plan:
    applicants: list[dict]  # {"email", "proposal_id"}
    reviewers: list[dict]  # {"email", "assignments": [ids]}
    decisions: list[int]  # proposal ids under review
    review_call_id: int
    criteria: list[int]
    secretariat: str
    deadline_call_id: int


@dataclass
class Outcome:
    records: list = field(default_factory=list)  # (kind, status, seconds, key, body)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind, status, seconds, key=None, body=None):
        with self.lock:
            self.records.append((kind, status, seconds, key, body))

    def of(self, kind):
        return [r for r in self.records if r[0] == kind]


def seed(app, applicants: int, reviewers: int, decisions: int) -> Plan:
    """A call open for submissions with `applicants` complete drafts, each from its own
    organisation; a call in review with `reviewers` reviewers, each assigned two proposals;
    another in review with `decisions` proposals; a fund that can pay for nine of them."""
    from tests.builders import funded
    from tests.factories import CallFactory, ProposalFactory, make_user, owner_of, put_in_review
    from unscar.extensions import db
    from unscar.reviews import assigning, panels

    with app.app_context():
        staff = make_user("secretariat", email="secretariat@load.example")
        funded(str(FUND_USD), staff=staff)
        call = CallFactory(max_budget_usd=Decimal("200000.00"))
        drafts = [ProposalFactory(call=call, with_budget=True) for _ in range(applicants)]
        review_call = CallFactory(reviewers_per_proposal=2)
        in_review = [ProposalFactory(call=review_call, under_review=True) for _ in range(reviewers)]
        put_in_review(review_call)
        panel = [make_user("reviewer") for _ in range(reviewers)]
        panels.set_panel(staff, review_call, [r.id for r in panel])
        created, _short = assigning.auto_assign(staff, review_call)
        for reviewer in panel:
            panels.sign_declaration(reviewer, review_call)
        db.session.commit()
        decision_call = CallFactory()
        to_decide = [ProposalFactory(call=decision_call, under_review=True) for _ in range(decisions)]
        put_in_review(decision_call)
        by_reviewer = {r.id: [] for r in panel}
        for assignment in created:
            by_reviewer[assignment.reviewer_id].append(assignment.id)
        plan = Plan(
            applicants=[{"email": owner_of(p).email, "proposal_id": p.id} for p in drafts],
            reviewers=[{"email": r.email, "assignments": by_reviewer[r.id]} for r in panel],
            decisions=[p.id for p in to_decide], review_call_id=review_call.id,
            criteria=[c.id for c in review_call.criteria], secretariat=staff.email, deadline_call_id=call.id)
        db.session.commit()
        db.session.remove()
    return plan


def set_deadline(app, call_id: int, seconds_from_now: float):
    """Move the call's deadline to just ahead, once everyone is signed in (the seeding's pace varies)."""
    from sqlalchemy import text

    from unscar.dates import utcnow
    from unscar.extensions import db

    with app.app_context():
        closes_at = utcnow() + timedelta(seconds=seconds_from_now)
        db.session.execute(text("UPDATE calls SET closes_at = :at WHERE id = :id"), {"at": closes_at, "id": call_id})
        db.session.commit()
        db.session.remove()
    return closes_at


class Client:
    """One user's HTTP session, alternating between the servers (a round-robin proxy)."""

    def __init__(self, urls: list[str], outcome: Outcome, start: int = 0):
        self.urls, self.outcome, self.turn = urls, outcome, start
        self.http = requests.Session()
        self.token = None

    def call(self, kind: str, method: str, path: str, body=None, key=None):
        url = self.urls[self.turn % len(self.urls)] + "/api/v1" + path
        self.turn += 1
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        started = time.perf_counter()
        try:
            response = self.http.request(method, url, json=body, headers=headers, timeout=120)
        except requests.RequestException as error:
            self.outcome.add(kind, f"error: {type(error).__name__}", time.perf_counter() - started, key)
            return None, None
        seconds = time.perf_counter() - started
        try:
            data = response.json()
        except ValueError:
            data = None
        self.outcome.add(kind, response.status_code, seconds, key, data)
        return response.status_code, data

    def log_in(self, email: str, password: str) -> None:
        status, data = self.call("log-in", "POST", "/tokens", {"email": email, "password": password})
        if status != 201:
            raise RuntimeError(f"{email} could not log in: {status} {data}")
        self.token = data["token"]


def _applicant(client: Client, who: dict, submit_at: float, stop: threading.Event):
    proposal = who["proposal_id"]
    version = 0
    # Save at a user's pace until the moment this applicant submits.
    while time.monotonic() < submit_at and not stop.is_set():
        version += 1
        client.call("save draft", "PATCH", f"/proposals/{proposal}", {"title": f"Load test draft {proposal} v{version}"},
                    key=(proposal, version))
        time.sleep(random.uniform(0.3, 1.5))  # a busy user, not a script
    status, _ = client.call("submit", "POST", f"/proposals/{proposal}/submit", {}, key=proposal)
    if status == 200:  # the double click: answered 200 again, changing nothing
        client.call("submit again", "POST", f"/proposals/{proposal}/submit", {}, key=proposal)


def _reviewer(client: Client, who: dict, criteria: list[int]):
    for assignment in who["assignments"]:
        scores = {str(c): random.randint(1, 5) for c in criteria}
        draft = {"scores": scores, "comments": {}, "comment": "Draft.", "recommendation": "fund", "submit": False}
        client.call("save review", "PUT", f"/assignments/{assignment}/review", draft, key=assignment)
        final = {**draft, "comment": "Sound plan, clear budget.", "submit": True}
        client.call("submit review", "PUT", f"/assignments/{assignment}/review", final, key=assignment)


def _clerk(client: Client, proposals: list[int]):
    for proposal in proposals:
        client.call("approve", "POST", f"/proposals/{proposal}/decision",
                    {"outcome": "approved", "approved_usd": "93321.00", "rationale": "Approved by the board.",
                     "meeting_ref": "LOAD-1"}, key=proposal)


def _bare(client: Client, stop: threading.Event):
    while not stop.is_set():
        client.call("bare GET /me", "GET", "/me")
        time.sleep(0.02)


def drive(app, urls: list[str], plan: Plan, password: str, deadline_in: float = 8.0,
          spread: float = 6.0) -> tuple[Outcome, dict]:
    """Everything at once; returns the outcome and the timing (the deadline, the run's length)."""
    outcome = Outcome()
    sign_in = Outcome()  # the log-ins (slow password hashing by design) are not part of the load
    def signed_in(email, index):
        client = Client(urls, sign_in, index)
        client.log_in(email, password)
        client.outcome = outcome
        return client

    applicants = [signed_in(a["email"], i) for i, a in enumerate(plan.applicants)]
    reviewers = [signed_in(r["email"], i) for i, r in enumerate(plan.reviewers)]
    clerks = [signed_in(plan.secretariat, i) for i in range(2)]
    bare = signed_in(plan.secretariat, 0)
    idle = [_timed(bare, "bare GET /me (idle)") for _ in range(30)]
    closes_at = set_deadline(app, plan.deadline_call_id, deadline_in)
    started = time.monotonic()
    deadline = started + deadline_in
    stop = threading.Event()
    threads = [threading.Thread(target=_applicant, args=(c, a, deadline + random.uniform(-spread, spread / 3), stop))
               for c, a in zip(applicants, plan.applicants)]
    threads += [threading.Thread(target=_reviewer, args=(c, r, plan.criteria)) for c, r in zip(reviewers, plan.reviewers)]
    # Two clerks race for every proposal, in opposite orders.
    threads += [threading.Thread(target=_clerk, args=(clerks[0], plan.decisions)),
                threading.Thread(target=_clerk, args=(clerks[1], list(reversed(plan.decisions))))]
    bare_thread = threading.Thread(target=_bare, args=(bare, stop))
    samples = []
    sampler = threading.Thread(target=_sample_waits, args=(app, samples, stop))
    sampler.start()
    bare_thread.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    stop.set()
    bare_thread.join(timeout=60)
    sampler.join(timeout=60)
    elapsed = time.monotonic() - started
    return outcome, {"closes_at": closes_at, "seconds": elapsed, "idle": idle, "waits": samples}


def _sample_waits(app, samples: list, stop: threading.Event):
    """Every 0.1 s: how many database sessions are busy, and how many of them wait for the
    audit chain's advisory lock (unscar/audit/chain.py), to tell whether it dominates."""
    from sqlalchemy import text

    from unscar.extensions import db

    query = text("SELECT count(*) FILTER (WHERE state = 'active'), "
                 "count(*) FILTER (WHERE wait_event_type = 'Lock' AND wait_event = 'advisory') "
                 "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
    with app.app_context(), db.engine.connect() as conn:
        while not stop.is_set():
            samples.append(tuple(conn.execute(query).one()))
            conn.rollback()
            time.sleep(0.1)


def _timed(client: Client, kind: str) -> float:
    started = time.perf_counter()
    response = client.http.get(client.urls[0] + "/api/v1/me", headers={"Authorization": f"Bearer {client.token}"},
                               timeout=30)
    response.raise_for_status()
    return time.perf_counter() - started


def check(app, plan: Plan, outcome: Outcome, closes_at) -> list[str]:
    """What must hold after the run; each problem found, in words (empty: all held)."""
    from sqlalchemy import func, select

    from unscar.decisions.models import Decision
    from unscar.extensions import db
    from unscar.funds.services import fund_figures
    from unscar.proposals.models import Proposal, ProposalStatus, StatusChange
    from unscar.reviews.models import Review

    problems = []
    server_errors = [r for r in outcome.records if not isinstance(r[1], int) or r[1] >= 500]
    if server_errors:
        problems.append(f"{len(server_errors)} requests failed with a 5xx or no answer: "
                        f"{Counter(str(r[1]) for r in server_errors)}")
    unexpected = Counter((r[0], r[1]) for r in outcome.records if isinstance(r[1], int) and r[1] not in (200, 201, 409))
    if unexpected:
        problems.append(f"unexpected statuses: {dict(unexpected)}")
    with app.app_context():
        ids = [a["proposal_id"] for a in plan.applicants]
        rows = {p.id: p for p in db.session.scalars(select(Proposal).where(Proposal.id.in_(ids)))}
        submissions = Counter(db.session.scalars(select(StatusChange.proposal_id).where(
            StatusChange.proposal_id.in_(ids), StatusChange.to_status == ProposalStatus.submitted)))
        acknowledged = {r[3]: r[4] for r in outcome.of("submit") if r[1] == 200}
        for proposal_id, body in acknowledged.items():
            row = rows[proposal_id]
            if row.status != ProposalStatus.submitted or submissions[proposal_id] != 1:
                problems.append(f"proposal {proposal_id}: submission acknowledged, but status {row.status.value} "
                                f"with {submissions[proposal_id]} submission(s) recorded")
            elif row.submitted_at > closes_at:
                problems.append(f"proposal {proposal_id} submitted after the deadline ({row.submitted_at})")
        for again in outcome.of("submit again"):
            if again[1] != 200 or again[4]["submitted_at"] != acknowledged[again[3]]["submitted_at"]:
                problems.append(f"proposal {again[3]}: a repeated submit answered {again[1]} {again[4]}")
        for proposal_id, row in rows.items():
            if proposal_id not in acknowledged and (row.status != ProposalStatus.draft or submissions[proposal_id]):
                problems.append(f"proposal {proposal_id} is {row.status.value} without an acknowledged submission")
            saved = [r[3][1] for r in outcome.of("save draft") if r[3][0] == proposal_id and r[1] == 200]
            if saved and row.title != f"Load test draft {proposal_id} v{max(saved)}":
                problems.append(f"proposal {proposal_id}: last acknowledged save v{max(saved)} lost ({row.title!r})")
        reviewed = {r[3] for r in outcome.of("submit review") if r[1] == 200}
        in_db = Counter(db.session.scalars(select(Review.assignment_id).where(Review.submitted_at.is_not(None))))
        for assignment in reviewed:
            if in_db[assignment] != 1:
                problems.append(f"assignment {assignment}: review acknowledged, {in_db[assignment]} submitted in the database")
        if set(in_db) - reviewed:
            problems.append(f"reviews submitted without acknowledgement: {sorted(set(in_db) - reviewed)}")
        approved = Counter(r[3] for r in outcome.of("approve") if r[1] == 201)
        decisions = db.session.scalars(select(Decision).where(Decision.proposal_id.in_(plan.decisions))).all()
        if sorted(approved) != sorted(d.proposal_id for d in decisions) or any(n != 1 for n in approved.values()):
            problems.append(f"approvals acknowledged {dict(approved)} but decisions recorded for "
                            f"{sorted(d.proposal_id for d in decisions)}")
        figures = fund_figures()
        committed = sum((d.approved_usd for d in decisions), Decimal("0"))
        if figures["available_usd"] < 0 or committed > figures["programmable_usd"]:
            problems.append(f"fund over-committed: {committed} committed of {figures['programmable_usd']}")
        if figures["committed_usd"] != committed:
            problems.append(f"the ledger commits {figures['committed_usd']}, the decisions {committed}")
        db.session.scalar(select(func.count()).select_from(Decision))
        db.session.remove()
    return problems


def figures(outcome: Outcome, timing: dict) -> list[dict]:
    """Per kind of request: how many, by status, throughput and latency percentiles."""
    rows = []
    kinds = sorted({r[0] for r in outcome.records}, key=lambda k: (k.startswith("bare"), k))
    for kind in kinds + ["all load (not the bare endpoint)"]:
        found = ([r for r in outcome.records if not r[0].startswith("bare")] if kind.startswith("all") else
                 outcome.of(kind))
        seconds = sorted(r[2] for r in found)
        rows.append({"kind": kind, "n": len(found), "statuses": dict(Counter(str(r[1]) for r in found)),
                     "per_second": len(found) / timing["seconds"], "median_ms": statistics.median(seconds) * 1000,
                     "p95_ms": _p95(seconds) * 1000, "max_ms": seconds[-1] * 1000})
    idle = sorted(timing["idle"])
    rows.append({"kind": "bare GET /me, idle, before the load", "n": len(idle), "statuses": {"200": len(idle)},
                 "per_second": None, "median_ms": statistics.median(idle) * 1000, "p95_ms": _p95(idle) * 1000,
                 "max_ms": idle[-1] * 1000})
    return rows


def _p95(sorted_seconds: list[float]) -> float:
    return sorted_seconds[min(len(sorted_seconds) - 1, int(round(0.95 * (len(sorted_seconds) - 1))))]


def markdown(rows: list[dict], timing: dict, plan: Plan, problems: list[str], setup: str) -> str:
    lines = ["# Load at the deadline: two servers on PostgreSQL", "",
             f"Written by `python bench/load.py` ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}). {setup}", "",
             f"{len(plan.applicants)} applicants saving and submitting around the deadline, "
             f"{len(plan.reviewers)} reviewers saving and submitting {sum(len(r['assignments']) for r in plan.reviewers)} "
             f"reviews, two secretariat clerks racing to approve the same {len(plan.decisions)} proposals "
             f"(93,321 USD each; the fund can pay for nine), and one client timing the bare endpoint, "
             f"all at once through both servers: {timing['seconds']:.1f} s.", "",
             _waits_sentence(timing["waits"]), "",
             "| requests | n | statuses | per second | median ms | p95 ms | max ms |",
             "| --- | ---: | --- | ---: | ---: | ---: | ---: |"]
    for r in rows:
        rate = f"{r['per_second']:.1f}" if r["per_second"] is not None else "—"
        statuses = ", ".join(f"{k}: {v}" for k, v in sorted(r["statuses"].items()))
        lines.append(f"| {r['kind']} | {r['n']} | {statuses} | {rate} | {r['median_ms']:.0f} | {r['p95_ms']:.0f} | "
                     f"{r['max_ms']:.0f} |")
    lines += ["", "Checks after the run (database against the answers): "
              + ("all held — no 5xx, every acknowledged save, submission, review and approval in the database "
                 "exactly once, nothing submitted after the deadline or unacknowledged, the fund not over-committed."
                 if not problems else "FAILED:"), ""]
    lines += [f"- {p}" for p in problems]
    return "\n".join(lines) + "\n"


def _waits_sentence(samples: list[tuple[int, int]]) -> str:
    if not samples:
        return ""
    active = statistics.mean(s[0] for s in samples)
    waiting = statistics.mean(s[1] for s in samples)
    return (f"PostgreSQL, sampled every 0.1 s ({len(samples)} samples): on average {active:.1f} sessions busy, "
            f"{waiting:.1f} of them waiting for the audit chain's advisory lock (at most "
            f"{max(s[1] for s in samples)}).")


def run(applicants: int, reviewers: int, decisions: int, servers: int = 2, deadline_in: float = 8.0):
    """Start the deployment, seed, drive, check; (rows, timing, plan, problems, setup)."""
    from tests.deploy.servers import Deployment
    from tests.factories import PASSWORD

    with Deployment(servers=servers) as deployment:
        app = deployment.app()
        plan = seed(app, applicants, reviewers, decisions)
        outcome, timing = drive(app, deployment.urls, plan, PASSWORD, deadline_in=deadline_in)
        problems = check(app, plan, outcome, timing["closes_at"])
        if problems:
            problems.append("logs:\n" + deployment.logs())
        setup = (f"{servers} gunicorn servers × {deployment.workers} workers × {deployment.threads} threads, "
                 f"the mail worker, a private PostgreSQL {_pg_version(app)} cluster and Redis, "
                 f"the client on the same {os.cpu_count()}-core machine.")
    return figures(outcome, timing), timing, plan, problems, setup


def _pg_version(app) -> str:
    from sqlalchemy import text

    from unscar.extensions import db

    with app.app_context():
        return db.session.scalar(text("SHOW server_version")).split()[0]


def main() -> int:
    os.environ.setdefault("SECRET_KEY", "load-test")
    rows, timing, plan, problems, setup = run(int(os.environ.get("LOAD_APPLICANTS", "60")),
                                              int(os.environ.get("LOAD_REVIEWERS", "20")),
                                              int(os.environ.get("LOAD_DECISIONS", "16")))
    REPORT.write_text(markdown(rows, timing, plan, problems, setup))
    print(REPORT.read_text())
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
