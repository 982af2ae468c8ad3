"""The audit log's hash chain: what is hashed, and who extends the chain, when, under which lock.

Each committed event gets one link (models.AuditLink): seq 1, 2, 3, ... in commit order,
the previous link's hash, and SHA-256 over the canonical form of the event, its seq and
that previous hash. Changing, deleting, reordering or slipping in an event directly in the
database then breaks the chain at that point (verify.py finds it).

Who writes links: only the session's before_commit hook below, in the same transaction as
the events and the state change they describe. It runs as the last thing before COMMIT and
takes the chain lock there, so the lock is held only for reading the head, writing the
links and committing, never while the service is still taking row locks (a lock taken at
the event's INSERT would be held across the rest of the service's work, and a writer
holding it while waiting for a row lock held by a writer waiting for it would deadlock).
- PostgreSQL: a transaction-level advisory lock, pg_advisory_xact_lock(CHAIN_LOCK). It is
  released by COMMIT or ROLLBACK, so the next writer, under READ COMMITTED, reads the head
  this one committed. A rolled-back transaction takes its links with it and seq is not a
  sequence, so no gap is left.
- SQLite: the transaction already holds the database's write lock (it wrote the events).

The canonical form is a contract with every link already stored: change it and every
existing chain stops verifying. Any new AuditEvent column must be added to it (a test holds
this).
"""
import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import timezone

from sqlalchemy import event, insert, select, text
from sqlalchemy.orm import Session

from .models import AuditEvent, AuditLink

GENESIS = "0" * 64
# pg_advisory_xact_lock's key: any constant no other lock in the application uses ("UNSCARCH").
CHAIN_LOCK = int.from_bytes(b"UNSCARCH", "big") >> 1
HASHED_FIELDS = ("id", "at", "actor_id", "action", "object_type", "object_id", "before", "after")
_UNCHAINED = "audit_unchained"  # session.info key: ids of this transaction's events
_CHUNK = 500


def canonical_form(event_row: Mapping, seq: int, prev_hash: str) -> bytes:
    """The bytes hashed for one link: JSON with sorted keys and no spaces, UTF-8, times in
    UTC ISO 8601 with microseconds, ids as integers (the JSON fields already hold Decimals
    and dates as strings; see services._plain)."""
    document = {name: event_row[name] for name in HASHED_FIELDS}
    document["at"] = event_row["at"].astimezone(timezone.utc).isoformat(timespec="microseconds")
    document["seq"] = seq
    document["prev_hash"] = prev_hash
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def link_hash(event_row: Mapping, seq: int, prev_hash: str) -> str:
    return hashlib.sha256(canonical_form(event_row, seq, prev_hash)).hexdigest()


def event_columns():
    """The stored fields of an event, as selected for hashing (Core rows, with the columns'
    types applied: aware UTC times, parsed JSON)."""
    table = AuditEvent.__table__
    return [table.c[name] for name in HASHED_FIELDS]


def note_unchained(session: Session, event_ids: Iterable[int]) -> None:
    """Events written by this transaction that the commit must chain (record_events uses it;
    events added to the session are noted by the flush hook)."""
    session.info.setdefault(_UNCHAINED, []).extend(event_ids)


def extend_chain(session: Session) -> int:
    """Chain this transaction's events, in id order, after the current head; how many.

    Called by the commit hook; takes the chain lock, which COMMIT or ROLLBACK releases.
    Events rolled back with a savepoint are no longer there and are simply not chained.
    """
    ids = sorted(set(session.info.pop(_UNCHAINED, ())))
    # Read as stored (the hash is over what verify-audit will read back), before the lock:
    # every statement under it lengthens the queue of writers behind it.
    events = [row for start in range(0, len(ids), _CHUNK) for row in session.execute(
        select(*event_columns()).where(AuditEvent.id.in_(ids[start:start + _CHUNK])).order_by(AuditEvent.id)
    ).mappings()]
    if not events:
        return 0
    if session.connection().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    head = session.execute(select(AuditLink.seq, AuditLink.hash).order_by(AuditLink.seq.desc()).limit(1)).first()
    seq, prev_hash = head if head is not None else (0, GENESIS)
    links = []
    for row in events:
        seq += 1
        digest = link_hash(row, seq, prev_hash)
        links.append({"seq": seq, "event_id": row["id"], "prev_hash": prev_hash, "hash": digest})
        prev_hash = digest
    session.execute(insert(AuditLink), links)
    return len(links)


@event.listens_for(Session, "after_flush")
def _note_flushed_events(session, _context):
    # After the flush the new events have their ids; session.new still lists them.
    note_unchained(session, [obj.id for obj in session.new if isinstance(obj, AuditEvent)])


@event.listens_for(Session, "before_commit")
def _chain_on_commit(session):
    if session.in_nested_transaction():
        return  # a savepoint's commit: the outer transaction chains at its own commit
    session.flush()
    extend_chain(session)


@event.listens_for(Session, "after_transaction_end")
def _forget_on_rollback(session, transaction):
    if transaction.parent is None:
        session.info.pop(_UNCHAINED, None)
