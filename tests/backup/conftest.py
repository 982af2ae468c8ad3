"""A second, empty database to restore into: a new SQLite file, or on PostgreSQL a database
named after the test database with "2" appended, made afresh and dropped after."""
import pytest

from tests.conftest import make_config
from tests.databases import scratch_database
from unscar import create_app
from unscar.extensions import db


@pytest.fixture
def empty_postgres_url():
    with scratch_database("2") as url:
        yield url


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
