"""Run every benchmark (bench/bench_*.py) and write their figures to bench/results.md.

Each bench module defines `run() -> list[dict]`, each dict with "name", "seconds",
"limit_seconds" and "detail". Fixed seeds; not a timed test: the figures are recorded
so that a change that slows the solvers down shows up in the diff.
"""
import importlib
import platform
import sys
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def main() -> int:
    rows = []
    for path in sorted(HERE.glob("bench_*.py")):
        module = importlib.import_module(f"bench.{path.stem}")
        rows.extend(module.run())
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, "
        f"Python {platform.python_version()}, {platform.machine()}, {_cores()} cores.",
        "",
        "| benchmark | seconds | limit | within | detail |",
        "| --- | ---: | ---: | --- | --- |",
    ]
    failed = False
    for row in rows:
        ok = row["seconds"] <= row["limit_seconds"]
        failed |= not ok
        lines.append(f"| {row['name']} | {row['seconds']:.2f} | {row['limit_seconds']:.0f} | "
                     f"{'yes' if ok else 'NO'} | {row['detail']} |")
    (HERE / "results.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 1 if failed else 0


def _cores() -> int:
    import os
    return os.cpu_count() or 1


if __name__ == "__main__":
    sys.exit(main())
