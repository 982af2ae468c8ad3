"""Browser tests: the application served over HTTP, driven by a real headless Chromium.

Chromium is Debian's package, never a browser downloaded by `playwright install`. Without
it these tests are skipped, which tests/conftest.py turns into failures under
REQUIRE_BROWSER=1 (CI).
"""
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

HERE = Path(__file__).parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-dev-shm-usage"]
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items):
    # This hook sees the whole session's items, not only this folder's.
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item):
    # Keep each phase's report on the test, so `page` knows after the test whether it failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def live_app(make_app):
    """The served application: use it in `with live_app.app_context():` to check the database."""
    return make_app()


@pytest.fixture
def live_server(live_app):
    """The base URL of `live_app`, served on a free port of 127.0.0.1."""
    # Threaded: Chromium opens several connections at once and keeps some idle.
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    # server_close() then waits for requests still running (the browser is closed by
    # then), so none is using the database when make_app empties and disposes it.
    server.daemon_threads = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("Chromium is not installed (Debian package chromium); browser tests skipped")
    expect.set_options(timeout=TIMEOUT_MS)
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    finally:
        playwright.stop()


@pytest.fixture
def page(browser, live_server, request, tmp_path):
    """A fresh page (own cookies) per test; a screenshot of it is kept when the test fails."""
    context = browser.new_context(base_url=live_server)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        path = tmp_path / "failure.png"
        page.screenshot(path=path, full_page=True)
        print(f"Screenshot of the failed page: {path}")
    context.close()
