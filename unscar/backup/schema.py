"""The schema revision a backup was taken at, and bringing a database to it (Alembic)."""
from alembic import command
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from flask import current_app
from sqlalchemy import inspect, text

from ..extensions import db
from .manifest import BackupError


def _alembic_config():
    # Flask-Migrate's own command functions exit the process on an error; Alembic's raise.
    return current_app.extensions["migrate"].migrate.get_config()


def head_revision() -> str:
    """The revision this version of the application's models describe."""
    heads = ScriptDirectory.from_config(_alembic_config()).get_heads()
    if len(heads) != 1:
        raise BackupError(f"The migrations have {len(heads)} heads; merge them before a backup or restore.")
    return heads[0]


def database_revision(conn) -> str | None:
    """The database's revision; None for a database Alembic never touched."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def rebuild_at(revision: str) -> None:
    """Drop everything the migrations made, then migrate up to `revision` (the caller
    made sure the database holds nothing to keep)."""
    with db.engine.connect() as conn:
        current = database_revision(conn)
    config = _alembic_config()
    try:
        if current is not None:
            command.downgrade(config, "base")
        command.upgrade(config, revision)
    except CommandError as error:
        raise BackupError(f"The database could not be migrated to the backup's revision: {error}") from None
