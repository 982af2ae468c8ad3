"""What the funding decision keeps: computed recommendations (drafts until adopted)."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from ..dates import UTCDateTime, utcnow
from ..extensions import db


class StoredRecommendation(db.Model):
    """A computed recommendation, kept as a draft until the secretariat adopts it."""

    __tablename__ = "recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # What was asked (envelope, objective, min_score, min_share) and what came out, as
    # the API shows it: a record of the reasoning at that moment.
    parameters: Mapped[dict] = mapped_column(JSON)
    result: Mapped[dict] = mapped_column(JSON)
    adopted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    adopted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
