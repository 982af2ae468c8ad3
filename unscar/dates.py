"""Time helpers: every datetime is aware and in UTC, on SQLite as on PostgreSQL."""
from datetime import datetime, timezone

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

_frozen_now: datetime | None = None


def utcnow() -> datetime:
    """The server clock; tests move it with freeze_clock()."""
    return _frozen_now or datetime.now(timezone.utc)


def freeze_clock(moment: datetime | None) -> None:
    """Pin utcnow() to a moment (None releases it). For tests and demo data only."""
    global _frozen_now
    if moment is not None and moment.tzinfo is None:
        raise ValueError("freeze_clock needs an aware datetime")
    _frozen_now = moment


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in, aware UTC datetimes out.

    PostgreSQL keeps them as timestamptz; SQLite has no time zone type, so the value
    is stored as naive UTC and given its zone back when read.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)
