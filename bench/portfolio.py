"""The portfolio and the fund at scale, through the application as a browser or an API
client uses it (Flask's test client: routing, the view, the database, the rendering or
serialising, the whole response): the portfolio API beside the bare SQL it runs, the
portfolio dashboard, the fund dashboard, and each export with its memory growth.

The portfolio's figures are kept per version of the data (unscar/portfolio/cache.py). The
API is timed with that cache emptied before each run, so that it is compared with the
SQL it really runs; the dashboard both ways: cold (the first visitor after any change to
the fund) and as the other visitors get it."""
import re

from unscar.extensions import db
from unscar.portfolio.cache import figures_cache

from . import bare_sql
from .measure import PeakMemory, captured_statements, median_seconds, once_seconds
from .seed import PASSWORD, seed_portfolio

API = "/api/v1/portfolio"
EXPORTS = {"CSV": "/api/v1/portfolio/export.csv", "XLSX": "/api/v1/portfolio/export.xlsx",
           "IATI": "/api/v1/portfolio/iati.xml", "360Giving": "/api/v1/portfolio/360giving.json"}
REPEATS = 5
API_RATIO = 1.5
PAGE_SECONDS = 0.300
EXPORT_BYTES = 256 * 1024 * 1024
MB = 1024 * 1024
_CSRF = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def run(app, database: str, scale: float) -> list[dict]:
    with app.app_context():
        seconds, counts = once_seconds(lambda: seed_portfolio(scale))
    seeded = ", ".join(f"{n:,} {table.replace('_', ' ')}" for table, n in counts.items())
    rows = [row("seeding (bulk inserts)", database, f"{seconds:.1f} s", "a few minutes", None, seeded)]
    client = app.test_client()
    rows.append(_api_beside_sql(app, client, database))
    rows.append(_page(client, database, "portfolio dashboard GET /portfolio/, cold (figures computed)",
                      "/portfolio/", cold=app))
    rows.append(_page(client, database, "portfolio dashboard GET /portfolio/", "/portfolio/"))
    rows.append(_charts(client, database))
    _web_login(client, "secretariat@bench.example")
    rows.append(_page(client, database, "fund dashboard GET /funds/", "/funds/"))
    rows += [_export(client, database, name, url) for name, url in EXPORTS.items()]
    return rows


def row(benchmark: str, database: str, figure: str, target: str, ok: bool | None, detail: str = "") -> dict:
    return {"benchmark": benchmark, "database": database, "figure": figure, "target": target, "ok": ok,
            "detail": detail}


def _get(client, url: str):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.get_data(as_text=True)[:500])
    return response


def _api_beside_sql(app, client, database: str) -> dict:
    """The API's time, its figures computed afresh each run, over that of the bare SQL
    aggregation of the same figures (bare_sql.py, checked to give the same answer) run on a
    DB-API connection: what the application adds to the database's work. The statements
    the API itself runs (captured from one request and replayed bare) are reported too:
    the API reads one row per project and groups them in Python, so that replay is the
    database's share of the API's time, not a way to compute the figures."""
    with app.app_context():
        engine = db.engine
    cache = figures_cache(app)
    cache.clear()
    with captured_statements(engine) as statements:
        figures = _get(client, API).get_json()

    def cold_api():
        cache.clear()
        _get(client, API)

    api = median_seconds(cold_api, REPEATS)
    sql = bare_sql.statements(engine.dialect)
    raw = engine.raw_connection()
    try:
        bare_sql.check(bare_sql.run(raw, sql), figures, engine.dialect.name)
        bare = median_seconds(lambda: bare_sql.run(raw, sql), REPEATS)
        replayed = median_seconds(lambda: _replay(raw, statements), REPEATS)
    finally:
        raw.close()
    ratio = api / bare
    return row("portfolio API GET /api/v1/portfolio (figures computed afresh)", database,
               f"{api * 1000:.0f} ms = {ratio:.2f} × bare SQL", f"≤ {API_RATIO} × bare SQL", ratio <= API_RATIO,
               f"bare SQL aggregation of the same figures {bare * 1000:.0f} ms ({len(sql)} statements, the same "
               f"answer checked); the API's own {len(statements)} statements replayed bare: {replayed * 1000:.0f} ms "
               f"(the rest is grouping {figures['projects']:,} projects in Python)")


def _replay(raw, statements) -> None:
    cursor = raw.cursor()
    try:
        for sql, parameters in statements:
            cursor.execute(sql, parameters)
            cursor.fetchall()
    finally:
        cursor.close()
    raw.rollback()


def _page(client, database: str, name: str, url: str, cold=None) -> dict:
    """The page's median time; `cold` (the app) empties the figures' cache before each run,
    and the figure is then reported without a target: the target is what visitors get."""
    def visit():
        if cold is not None:
            figures_cache(cold).clear()
        _get(client, url)

    seconds = median_seconds(visit, REPEATS)
    detail = f"median of {REPEATS} after one warm-up, the whole response"
    if cold is not None:
        return row(name, database, f"{seconds * 1000:.0f} ms", "", None, detail + "; the figures' cache emptied before each")
    return row(name, database, f"{seconds * 1000:.0f} ms", f"< {PAGE_SECONDS * 1000:.0f} ms",
               seconds < PAGE_SECONDS, detail)


def _charts(client, database: str) -> dict:
    """The dashboard's seven charts, as the browser fetches them after the page (drawn once
    per version of their figures, then served from the chart cache)."""
    page = _get(client, "/portfolio/").get_data(as_text=True)
    urls = [url.replace("&amp;", "&") for url in re.findall(r'src="(/portfolio/[^"]+\.png[^"]*)"', page)]
    seconds = median_seconds(lambda: [_get(client, url) for url in urls], REPEATS)
    return row(f"the dashboard's {len(urls)} charts, one after another", database, f"{seconds * 1000:.0f} ms",
               f"< {PAGE_SECONDS * 1000:.0f} ms", seconds < PAGE_SECONDS,
               f"median of {REPEATS} after one warm-up, every chart's whole response")


def _web_login(client, email: str) -> None:
    token = _CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _export(client, database: str, name: str, url: str) -> dict:
    """The download read to its end chunk by chunk, as a client saving it would, while
    the process's resident memory is sampled."""
    with PeakMemory() as memory:
        seconds, size = once_seconds(lambda: _download(client, url))
    return row(f"export {name} {url}", database, f"+{memory.growth / MB:.0f} MB",
               f"< +{EXPORT_BYTES // MB} MB", memory.growth < EXPORT_BYTES,
               f"{size / MB:.1f} MB in {seconds:.1f} s (under tracemalloc); growth of the resident set "
               f"+{memory.resident_growth / MB:.0f} MB, peak of traced Python allocations "
               f"{memory.traced_peak / MB:.0f} MB")


def _download(client, url: str) -> int:
    response = client.get(url, buffered=False)
    assert response.status_code == 200, (url, response.status_code)
    size = 0
    try:
        for chunk in response.response:
            size += len(chunk)
    finally:
        response.close()
    return size
