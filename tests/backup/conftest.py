"""A second, empty database to restore into: a new SQLite file, or on PostgreSQL a database
named after the test database with "2" appended, made afresh and dropped after."""
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import DATABASE_URL, make_config
from unscar import create_app
from unscar.extensions import db


@pytest.fixture
def empty_postgres_url():
    url = make_url(DATABASE_URL)
    name = f"{url.database}2"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield url.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def other_app(tmp_path):
    """other_app(url, name): an application on another database, with its own upload folder
    (tmp_path/name/uploads); its engine is disposed after the test."""
    apps = []

    def factory(database_url: str, name: str):
        app = create_app(make_config(database_url, tmp_path / name))
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
