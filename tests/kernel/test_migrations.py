"""The migrations build, on an empty database, exactly the schema the models describe; they
downgrade to nothing and upgrade again, each one and all together, on SQLite and PostgreSQL."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from tests.conftest import ON_POSTGRES, make_config
from tests.databases import scratch_database
from unscar import create_app
from unscar.extensions import db


@pytest.fixture
def empty_database_url(tmp_path):
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    with scratch_database("_migrations") as url:
        yield url


def test_migrations_match_the_models_downgrade_to_nothing_and_upgrade_again(empty_database_url, tmp_path):
    app = create_app(make_config(empty_database_url, tmp_path))
    with app.app_context():
        try:
            _check_upgrade_and_downgrade()
        finally:
            db.engine.dispose()  # even when an assertion failed: no connection left open


def _check_upgrade_and_downgrade():
    upgrade()
    _check_schema()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
    # What a downgrade leaves behind (a type, a function, an index) would break this.
    upgrade()
    _check_schema()
    downgrade(revision="base")
    assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}


def test_each_migration_downgrades_and_upgrades_again(empty_database_url, tmp_path):
    app = create_app(make_config(empty_database_url, tmp_path))
    with app.app_context():
        try:
            script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
            revisions = [revision.revision for revision in reversed(list(script.walk_revisions()))]
            assert len(revisions) >= 12
            for revision in revisions:
                upgrade(revision=revision)
                tables = set(inspect(db.engine).get_table_names())
                downgrade(revision="-1")
                upgrade(revision=revision)
                assert set(inspect(db.engine).get_table_names()) == tables, revision
            _check_schema()
        finally:
            db.engine.dispose()


def _check_schema():
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, db.metadata) == []
        # The append-only audit trigger comes with the migration.
        with pytest.raises(Exception, match="append-only"):
            conn.execute(text("INSERT INTO audit_events (at, action, object_type) "
                              "VALUES (CURRENT_TIMESTAMP, 'x', 'system')"))
            conn.execute(text("DELETE FROM audit_events"))


def test_a_database_full_of_data_downgrades_to_nothing(empty_database_url, tmp_path):
    """The demo fills every table; each downgrade then runs over rows (on SQLite a batch
    rebuild of a table that rows refer to once failed here)."""
    from unscar.demo import load_demo

    app = create_app(make_config(empty_database_url, tmp_path))
    with app.app_context():
        try:
            upgrade()
            load_demo()
            db.session.commit()
            db.session.remove()
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            upgrade()
            _check_schema()
        finally:
            db.session.remove()
            db.engine.dispose()
