"""Scratch PostgreSQL databases for the tests that need a database besides their own: to
migrate from nothing, to restore into, to hold events written before a migration."""
from contextlib import contextmanager

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import DATABASE_URL


@contextmanager
def scratch_database(suffix: str):
    """The URL of a database named after the test database with `suffix` (so each xdist
    worker has its own), made afresh and dropped afterwards, open connections or not."""
    url = make_url(DATABASE_URL)
    name = f"{url.database}{suffix}"
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield url.set(database=name).render_as_string(hide_password=False)
        with server.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        server.dispose()
