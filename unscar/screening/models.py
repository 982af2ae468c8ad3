"""Reminders already sent, so each goes out once however often the command runs."""
from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..dates import UTCDateTime, utcnow
from ..extensions import db


class SentReminder(db.Model):
    """One reminder of a kind about one object (a draft proposal, later a review)."""

    __tablename__ = "sent_reminders"
    __table_args__ = (UniqueConstraint("kind", "object_type", "object_id",
                                       name="uq_sent_reminders_kind_object_type_object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int]
    recipients: Mapped[int] = mapped_column(default=0)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
