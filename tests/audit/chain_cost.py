"""What the chain costs concurrent writers on PostgreSQL: N threads each commit M
transactions of one audit event, chained (record_event: the commit takes the chain lock,
reads the head, hashes, writes the link) and unchained (the same record_event, its event
left out of the chain), on a database of its own. Throughput and per-commit latency (p50, p95).

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/unscar_audit2 \
        SECRET_KEY=dev python -m tests.audit.chain_cost [--threads 1,4,8,16] [--each 200]

One event per transaction is the worst case for the chain: real requests do more work
before their commit, outside the lock.
"""
import argparse
import os
import statistics
import sys
import threading
import time

from flask_migrate import upgrade
from sqlalchemy import create_engine, text

from config import TestConfig
from unscar import create_app
from unscar.audit.chain import _UNCHAINED as UNCHAINED_KEY
from unscar.audit.services import record_event
from unscar.audit.verify import verify_chain
from unscar.extensions import db


def chained(i, n):
    record_event(None, "bench.chained", object_type="system", after={"thread": i, "n": n})


def unchained(i, n):
    # The same write, forgotten by the commit hook: the difference is the chaining alone.
    record_event(None, "bench.unchained", object_type="system", after={"thread": i, "n": n})
    db.session.flush()
    db.session.info.pop(UNCHAINED_KEY, None)


def run(app, write, threads: int, each: int) -> tuple[float, list[float]]:
    start = threading.Barrier(threads + 1)
    latencies: list[float] = []

    def worker(i):
        with app.app_context():
            start.wait()
            for n in range(each):
                began = time.perf_counter()
                write(i, n)
                db.session.commit()
                latencies.append(time.perf_counter() - began)
            db.session.remove()

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in workers:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in workers:
        thread.join()
    return time.perf_counter() - began, latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", default="1,4,8,16")
    parser.add_argument("--each", type=int, default=200)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database this script may empty.")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    config = type("BenchConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url,
                                                 "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 32}})
    app = create_app(config)
    with app.app_context():
        upgrade()
    print(f"{'threads':>7} {'mode':>9} {'commits/s':>10} {'p50 ms':>8} {'p95 ms':>8}")
    for threads in [int(t) for t in args.threads.split(",")]:
        for name, write in (("unchained", unchained), ("chained", chained)):
            elapsed, latencies = run(app, write, threads, args.each)
            p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
            print(f"{threads:>7} {name:>9} {len(latencies) / elapsed:>10.0f} "
                  f"{statistics.median(latencies) * 1000:>8.2f} {p95:>8.2f}", flush=True)
    with app.app_context():
        verdict = verify_chain()
        # The unchained runs' events are in no link, as verify-audit then says.
        print(f"chain after the run: {verdict.checked} links intact; then: {verdict.problem}")
        db.session.remove()
        db.engine.dispose()


if __name__ == "__main__":
    main()
