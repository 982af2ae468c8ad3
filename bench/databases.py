"""The benchmark's own databases: a SQLite file in a temporary directory and a throwaway
PostgreSQL database, each built by the migrations and dropped at the end, and the
application configured on them (not TESTING: the production code paths)."""
import os
import secrets
import tempfile
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import Config
from unscar import create_app
from unscar.extensions import db

# The server to create the throwaway database on; its own database is never touched.
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def bench_config(database_url: str, folder: Path):
    return type("BenchConfig", (Config,), {
        "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": secrets.token_hex(32),
        "UPLOAD_FOLDER": str(folder / "uploads"), "MAIL_SERVER": None, "REDIS_URL": None})


def migrated_app(database_url: str, folder: Path):
    from flask_migrate import upgrade

    app = create_app(bench_config(database_url, folder))
    with app.app_context():
        upgrade()
    return app


@contextmanager
def sqlite_app():
    with tempfile.TemporaryDirectory(prefix="unscar-bench-") as folder:
        app = migrated_app(f"sqlite:///{folder}/bench.sqlite3", Path(folder))
        try:
            yield app
        finally:
            _dispose(app)


@contextmanager
def postgres_app(name: str):
    """A fresh database `name` on POSTGRES_URL's server, dropped afterwards."""
    server = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    try:
        with tempfile.TemporaryDirectory(prefix="unscar-bench-") as folder:
            app = migrated_app(url, Path(folder))
            try:
                yield app
            finally:
                _dispose(app)
    finally:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_URL)
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:  # noqa: BLE001 (any failure to connect means: no server)
        return False


def _dispose(app) -> None:
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
