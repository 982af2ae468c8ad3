"""The secretariat's clarification questions, and reminders already sent (each goes out once
however often the command runs)."""
from datetime import datetime

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dates import UTCDateTime, utcnow
from ..extensions import db
from ..proposals.models import Attachment


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


class Clarification(db.Model):
    """A question of the secretariat to the applicant, answered without reopening the draft."""

    __tablename__ = "clarifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    question: Mapped[str] = mapped_column(Text)
    asked_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answer: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    proposal = relationship("Proposal")
    files: Mapped[list[Attachment]] = relationship(order_by="Attachment.id")
