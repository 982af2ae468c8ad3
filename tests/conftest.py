"""Fixtures: an application per test on a fresh database built by the migrations.

SQLite (default): the migrations build a template file once; each test gets a copy.
PostgreSQL (DATABASE_URL set): the migrations run once per worker, each pytest-xdist
worker on a database of its own; tables are emptied after each test (TRUNCATE, which the
audit log's row triggers allow, unlike DELETE).
REQUIRE_POSTGRES / REQUIRE_BROWSER: CI's second pass, where a skipped test fails.
"""
import os
import shutil
from contextlib import contextmanager

import pytest
from flask import g
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url

from config import TestConfig
from unscar import create_app
from unscar.extensions import db

DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith("postgresql")


def _worker_database(url: str, worker: str) -> str:
    """<database>_<worker>, made if missing: the tables are emptied after each test on
    PostgreSQL, so two pytest-xdist workers cannot share one database."""
    own = make_url(url).set(database=f"{make_url(url).database}_{worker}")
    server = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        if conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": own.database}) is None:
            conn.execute(text(f'CREATE DATABASE "{own.database}"'))
    server.dispose()
    return own.render_as_string(hide_password=False)


if ON_POSTGRES and os.environ.get("PYTEST_XDIST_WORKER"):
    DATABASE_URL = _worker_database(DATABASE_URL, os.environ["PYTEST_XDIST_WORKER"])
    os.environ["DATABASE_URL"] = DATABASE_URL  # for the tests that read it themselves
STRICT = bool(os.environ.get("REQUIRE_POSTGRES") or os.environ.get("REQUIRE_BROWSER"))


def pytest_sessionstart(session):
    if os.environ.get("REQUIRE_POSTGRES") and not ON_POSTGRES:
        raise pytest.UsageError("REQUIRE_POSTGRES is set but DATABASE_URL is not a PostgreSQL URL.")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if STRICT and report.skipped and not hasattr(report, "wasxfail"):
        # CI's full pass must run every test: a skip there is a failure.
        report.outcome = "failed"
        report.longrepr = f"Skipped under REQUIRE_POSTGRES/REQUIRE_BROWSER: {report.longrepr}"


def make_config(database_url: str, tmp_path, **overrides):
    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "UPLOAD_FOLDER": str(tmp_path / "uploads")}
    settings.update(overrides)
    return type("TestRunConfig", (TestConfig,), settings)


def _upgrade(database_url: str, tmp_path) -> None:
    from flask_migrate import upgrade

    app = create_app(make_config(database_url, tmp_path))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """A migrated, empty database: a file to copy on SQLite, the live one on PostgreSQL."""
    tmp = tmp_path_factory.mktemp("template")
    if ON_POSTGRES:
        engine = create_engine(DATABASE_URL)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        _upgrade(DATABASE_URL, tmp)
        return DATABASE_URL
    path = tmp / "template.sqlite3"
    _upgrade(f"sqlite:///{path}", tmp)
    return path


def _truncate_all(app) -> None:
    with app.app_context():
        names = ", ".join(t.name for t in db.metadata.sorted_tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture
def database_url(database_template, tmp_path):
    if ON_POSTGRES:
        return database_template
    path = tmp_path / "test.sqlite3"
    shutil.copyfile(database_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def make_app(database_url, tmp_path):
    """Build applications on this test's database (two make two server processes' worth)."""
    apps = []

    def factory(**overrides):
        app = create_app(make_config(database_url, tmp_path, **overrides))
        apps.append(app)
        return app

    yield factory
    if ON_POSTGRES and apps:
        _truncate_all(apps[0])
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _forget_previous_request():
    # The test keeps an app context open, which Flask reuses for each request, so `g`
    # would carry one request's signed-in user into the next, and the test's session
    # its open transaction. Each request starts clean, as in a real server.
    g.__dict__.clear()
    db.session.commit()


def _end_request_transaction(_exc):
    # A real server discards the session with the app context after each request,
    # releasing SQLite's write lock; the shared test session must do the same.
    db.session.rollback()


@pytest.fixture
def app(make_app):
    app = make_app()
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_previous_request)
    app.teardown_request(_end_request_transaction)
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def count_statements(app):
    """`with count_statements() as statements:` lists the SQL statements run inside the block,
    so a page can be shown to cost as many for many rows as for a few (no N+1)."""
    @contextmanager
    def counting():
        statements = []

        def record(_conn, _cursor, statement, *_args):
            statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return counting
