"""The review half at scale, through the API as a client drives it (a bearer token, JSON
bodies, the whole request): automatic assignment of a call of 2,500 proposals to its
panel of 150, its ranking and its recommendation once every review is in, each beside a
bare endpoint of the same application (GET /api/v1/me) measured in the same run.

BENCH_PROFILE=1 also writes a cProfile of each call to bench/profiles/ (not committed)."""
import cProfile
import os
import pstats
from pathlib import Path

from unscar.extensions import db

from .measure import captured_statements, median_seconds, once_seconds
from .portfolio import row
from .review_call import PROPOSALS, REVIEWERS, seed_review_call, submit_every_review
from .seed import PASSWORD

TARGETS = {"assignment": 10.0, "ranking": 1.0, "recommendation": 2.0}
REPEATS = 3
SHARES = {"region:Africa": 0.3, "theme:gender_and_children": 0.15}
PROFILES = Path(__file__).resolve().parent / "profiles"


def run(app, database: str) -> list[dict]:
    with app.app_context():
        seconds, ids = once_seconds(seed_review_call)
        engine = db.engine
    call = ids["call_id"]
    client = app.test_client()
    headers = {"Authorization": f"Bearer {_token(client, ids['secretariat'])}"}
    bare = median_seconds(lambda: _call(client, "GET", "/api/v1/me", headers), 10)
    rows = [row("seeding the call (bulk inserts)", database, f"{seconds:.1f} s", "", None,
                f"{PROPOSALS:,} proposals under review, a panel of {REVIEWERS} reviewers; "
                f"bare endpoint GET /api/v1/me: {bare * 1000:.1f} ms (median of 10)")]
    with captured_statements(engine) as statements:
        seconds, body = _timed_once(client, "POST", f"/api/v1/calls/{call}/assignments/auto", headers, {},
                                    "assignment")
    rows.append(_row("auto-assignment POST /api/v1/calls/{id}/assignments/auto", database, seconds, bare,
                     TARGETS["assignment"], f"{body['created']:,} assignments, {len(body['short'])} short; "
                                            f"{len(statements):,} SQL statements; once"))
    with app.app_context():
        reviews = submit_every_review(call)
    rows.append(_repeated(client, "GET", "/api/v1/calls/{id}/ranking", call, headers, None, "ranking", database,
                          bare, engine, f"{reviews:,} submitted reviews"))
    shares = ", ".join(f"{k} ≥ {v:.0%}" for k, v in SHARES.items())
    rows.append(_repeated(client, "POST", "/api/v1/calls/{id}/recommendation", call, headers, {"min_share": SHARES},
                          "recommendation", database, bare, engine, f"the call's envelope, shares {shares}"))
    return rows


def _token(client, email: str) -> str:
    response = client.post("/api/v1/tokens", json={"email": email, "password": PASSWORD})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


def _call(client, method: str, url: str, headers: dict, body=None):
    response = client.open(url, method=method, headers=headers, json=body)
    assert response.status_code in (200, 201), (url, response.status_code, response.get_data(as_text=True)[:500])
    return response.get_json()


def _timed_once(client, method, url, headers, body, name):
    if not os.environ.get("BENCH_PROFILE"):
        return once_seconds(lambda: _call(client, method, url, headers, body))
    profile = cProfile.Profile()
    seconds, result = once_seconds(lambda: profile.runcall(_call, client, method, url, headers, body))
    PROFILES.mkdir(exist_ok=True)
    with open(PROFILES / f"{name}.txt", "w") as out:
        pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(60)
    return seconds, result


def _repeated(client, method, route, call, headers, body, name, database, bare, engine, detail) -> dict:
    url = route.replace("{id}", str(call))
    with captured_statements(engine) as statements:
        _timed_once(client, method, url, headers, body, name)
    seconds = median_seconds(lambda: _call(client, method, url, headers, body), REPEATS)
    return _row(f"{name} {method} {route}", database, seconds, bare,
                TARGETS[name], f"{detail}; {len(statements)} SQL statements; median of {REPEATS}")


def _row(name: str, database: str, seconds: float, bare: float, target: float, detail: str) -> dict:
    return row(name, database, f"{seconds:.2f} s ({seconds / bare:,.0f} × GET /api/v1/me)", f"< {target:.0f} s",
               seconds < target, detail)
