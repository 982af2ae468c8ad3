"""Audit events and their hash chain: both append-only, refused by the database itself
on UPDATE and DELETE. How the chain is extended and checked: chain.py."""
from datetime import datetime

from sqlalchemy import JSON, DDL, ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dates import UTCDateTime, utcnow
from ..extensions import db


class AuditEvent(db.Model):
    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)

    actor = relationship("User", lazy="raise_on_sql")


class AuditLink(db.Model):
    """One event's place in the hash chain: its `seq` (1, 2, 3, ... in commit order, no
    gaps), the hash of the link before and its own hash over the event's canonical form.

    A table beside the events rather than columns on them: the link is written at commit
    (chain.py), after the event row, and the event rows stay strictly insert-only.
    """
    __tablename__ = "audit_chain"

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    event_id: Mapped[int] = mapped_column(ForeignKey("audit_events.id"), unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


# The same statements are in the migration that creates the table; they are attached
# here too so a schema built from the models (create_all) is just as append-only.
SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
SQLITE_CHAIN_TRIGGERS = [
    """CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain
       BEGIN SELECT RAISE(ABORT, 'the audit chain is append-only'); END""",
    """CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
       BEGIN SELECT RAISE(ABORT, 'the audit chain is append-only'); END""",
]
POSTGRES_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit events are append-only'; END;
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
       FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()""",
]
POSTGRES_CHAIN_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION audit_chain_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit chain is append-only'; END;
       $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_chain_append_only BEFORE UPDATE OR DELETE ON audit_chain
       FOR EACH ROW EXECUTE FUNCTION audit_chain_append_only()""",
]

for _table, _triggers in ((AuditEvent.__table__, {"sqlite": SQLITE_TRIGGERS, "postgresql": POSTGRES_TRIGGERS}),
                          (AuditLink.__table__, {"sqlite": SQLITE_CHAIN_TRIGGERS,
                                                 "postgresql": POSTGRES_CHAIN_TRIGGERS})):
    for _dialect, _statements in _triggers.items():
        for _statement in _statements:
            event.listen(_table, "after_create", DDL(_statement).execute_if(dialect=_dialect))
