"""What someone with direct access to the database can do: change the audit tables past
their append-only triggers (and past foreign keys), as verify-audit must then notice."""
import sqlite3
from contextlib import contextmanager
from decimal import Decimal

from sqlalchemy import text

from unscar.audit.chain import event_columns
from unscar.audit.models import SQLITE_CHAIN_TRIGGERS, SQLITE_TRIGGERS
from unscar.audit.services import record_event
from unscar.extensions import db

TRIGGERS = ("audit_events_no_update", "audit_events_no_delete", "audit_chain_no_update", "audit_chain_no_delete")


@contextmanager
def attacker():
    """Yields run(sql, **params), on a connection of its own, committed at the end.

    PostgreSQL: session_replication_role = replica, which skips user triggers and foreign
    keys. SQLite: a plain sqlite3 connection (no foreign keys) that drops the triggers
    and puts them back, all in one transaction.
    """
    db.session.rollback()
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            yield lambda sql, **params: conn.execute(text(sql), params)
        return
    raw = sqlite3.connect(db.engine.url.database, isolation_level=None)
    try:
        raw.execute("BEGIN IMMEDIATE")
        for name in TRIGGERS:
            raw.execute(f"DROP TRIGGER {name}")
        yield lambda sql, **params: raw.execute(sql, params)
        for statement in SQLITE_TRIGGERS + SQLITE_CHAIN_TRIGGERS:
            raw.execute(statement)
        raw.execute("COMMIT")
    finally:
        raw.close()


def committed_events(count: int, action: str = "test.happened") -> list[int]:
    """`count` events, each in its own transaction, as separate requests would write them."""
    ids = []
    for n in range(count):
        event = record_event(None, action, object_type="system", after={"n": n, "amount": Decimal("12.50")})
        db.session.commit()
        ids.append(event.id)
    return ids


def stored_event(event_id: int) -> dict:
    """An event's stored fields, as the chain hashes them."""
    row = db.session.execute(db.select(*event_columns()).where(event_columns()[0] == event_id)).mappings().one()
    return dict(row)
