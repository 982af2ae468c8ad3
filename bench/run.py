"""`make bench`: every benchmark, its figures written to bench/RESULTS.md beside their
targets.

1. The solvers alone (bench_assignment.py, bench_recommendation.py): fixed seeded cases.
2. The portfolio and the fund at scale (portfolio.py), on SQLite and on PostgreSQL.
3. The review half at scale through the API (reviews.py), on PostgreSQL.

Each run builds its own databases (a SQLite file in a temporary directory, a throwaway
PostgreSQL database on BENCH_POSTGRES_URL's server, dropped at the end). BENCH_SCALE
(default 1: 100,000 proposals and 20,000 grants) shrinks the portfolio for a quick run;
the review call is always full size. Exits 1 when a figure misses its target.
"""
import logging
import os
import platform
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench import bench_assignment, bench_recommendation, portfolio, reviews  # noqa: E402
from bench.databases import postgres_app, postgres_available, sqlite_app  # noqa: E402

RESULTS = HERE / "RESULTS.md"


def main() -> int:
    logging.getLogger("alembic").setLevel(logging.WARNING)
    scale = float(os.environ.get("BENCH_SCALE", "1"))
    started = time.perf_counter()
    rows = [_solver_row(r) for module in (bench_assignment, bench_recommendation) for r in module.run()]
    _say(rows)
    with sqlite_app() as app:
        rows += _say(portfolio.run(app, "SQLite", scale))
    if not postgres_available():
        print(f"No PostgreSQL server at {os.environ.get('BENCH_POSTGRES_URL', 'the default URL')}.", file=sys.stderr)
        return 1
    with postgres_app(f"unscar_bench_{os.getpid()}") as app:
        rows += _say(portfolio.run(app, "PostgreSQL", scale))
        rows += _say(reviews.run(app, "PostgreSQL"))
    RESULTS.write_text(_markdown(rows, scale, time.perf_counter() - started))
    print(f"Written to {RESULTS.relative_to(HERE.parent)}")
    return 0 if all(r["ok"] is not False for r in rows) else 1


def _solver_row(found: dict) -> dict:
    return portfolio.row(found["name"] + " (solver alone)", "—", f"{found['seconds']:.2f} s",
                         f"< {found['limit_seconds']:.0f} s", found["seconds"] <= found["limit_seconds"],
                         found["detail"])


def _say(rows: list[dict]) -> list[dict]:
    for r in rows:
        mark = {True: "ok", False: "MISSED", None: ""}[r["ok"]]
        print(f"{r['database']:<10} {r['benchmark']:<60} {r['figure']:<36} {r['target']:<20} {mark}", flush=True)
    return rows


def _markdown(rows: list[dict], scale: float, seconds: float) -> str:
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC in {seconds / 60:.1f} minutes: "
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores "
        f"({_cpu_name()}), shared with other work. Scale {scale:g} (1 = 100,000 proposals and 20,000 "
        "grants); the review call is always 2,500 proposals and 150 reviewers.",
        "",
        "Through the application: Flask's test client, the whole request (routing, authentication, the "
        "view, the database, rendering or serialising, the body read to its end). Pages are the median of "
        "five runs after a warm-up; the bare SQL is the same figures aggregated by the database alone "
        "(bench/bare_sql.py, hand-written SQL on a DB-API cursor, checked to give the API's answer); memory "
        "is the process's resident set sampled every 5 ms.",
        "",
        "| database | benchmark | figure | target | met | detail |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        met = {True: "yes", False: "**NO**", None: ""}[r["ok"]]
        lines.append(f"| {r['database']} | {r['benchmark']} | {r['figure']} | {r['target']} | {met} | {r['detail']} |")
    return "\n".join(lines) + "\n"


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


if __name__ == "__main__":
    sys.exit(main())
