"""Writing audit events. Every service that changes state calls record_event(); the
commit chains the events (chain.py)."""
from decimal import Decimal
from datetime import date, datetime
import enum

from sqlalchemy import insert

from ..extensions import db
from .chain import note_unchained
from .models import AuditEvent


def _plain(value):
    """JSON-safe copies of the values a change is described with."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def record_event(actor, action: str, obj=None, *, object_type: str | None = None,
                 before: dict | None = None, after: dict | None = None) -> AuditEvent:
    """Add one audit event to the current transaction; the caller commits.

    `obj` is the changed model object (flushed first so it has an id); `object_type`
    defaults to its table name.
    """
    if obj is not None and getattr(obj, "id", None) is None:
        db.session.flush()
    event = AuditEvent(
        actor_id=getattr(actor, "id", None),
        action=action,
        object_type=object_type or (obj.__tablename__ if obj is not None else "system"),
        object_id=getattr(obj, "id", None),
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
    )
    db.session.add(event)
    return event


def record_events(actor, action: str, changes: list[tuple]) -> None:
    """record_event for many flushed objects of one table, as (object, after) pairs, written
    in one multi-row insert: a call's automatic assignment audits thousands at once."""
    if changes:
        ids = db.session.scalars(insert(AuditEvent).returning(AuditEvent.id), [
            {"actor_id": getattr(actor, "id", None), "action": action, "object_type": obj.__tablename__,
             "object_id": obj.id, "after": _plain(after)} for obj, after in changes])
        note_unchained(db.session(), ids)
