"""Transactions that work alike on SQLite and PostgreSQL, and the write lock.

PostgreSQL locks the rows a service is about to change (SELECT ... FOR UPDATE).
SQLite has only a database-wide write lock, and a deferred transaction that read first
and writes later fails at once ("database is locked") when another writer committed in
between. So on SQLite every request that may write (any method but GET, HEAD, OPTIONS)
starts its transaction with BEGIN IMMEDIATE, as Rails and Django recommend; writers
then queue behind the busy timeout instead of failing, and readers never wait (WAL).
Commands, which run outside requests, take the lock with acquire_write_lock().
"""
from contextvars import ContextVar

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .extensions import db

_begin_immediate: ContextVar[bool] = ContextVar("begin_immediate", default=False)
SQLITE_BUSY_TIMEOUT_MS = 15000


def configure_sqlite(engine: Engine) -> None:
    """WAL, a busy timeout, foreign keys, and SQLAlchemy in charge of BEGIN."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # pysqlite would otherwise issue its own deferred BEGIN; see SQLAlchemy's
        # "pysqlite serializable" notes.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        immediate = _begin_immediate.get() or (
            has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS"))
        conn.info["immediate"] = immediate
        conn.info["wrote"] = False
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @event.listens_for(engine, "before_cursor_execute")
    def _track_writes(conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("SELECT", "BEGIN", "PRAGMA", "WITH")):
            conn.info["wrote"] = True


def acquire_write_lock() -> None:
    """Make sure the current transaction holds the lock needed to write safely.

    On SQLite: a transaction that has only read so far is restarted as BEGIN IMMEDIATE
    (its objects are expired and reload fresh); one that already wrote holds the lock.
    On PostgreSQL this is a no-op: lock rows with lock_rows() instead.
    """
    session = db.session()  # the Session itself: the scoped proxy lacks in_transaction()
    if session.get_bind().dialect.name != "sqlite":
        return
    if session.in_transaction():
        info = session.connection().info
        if info.get("immediate") or info.get("wrote"):
            return
        if session.new or session.dirty or session.deleted:
            session.flush()
            return
        session.rollback()
    token = _begin_immediate.set(True)
    try:
        session.connection()
    finally:
        _begin_immediate.reset(token)


def lock_rows(stmt):
    """Run a select with its rows locked for the rest of the transaction."""
    acquire_write_lock()
    return db.session.scalars(stmt.with_for_update())


def lock_one(stmt):
    """Like lock_rows, for one row (or None)."""
    return lock_rows(stmt).first()
