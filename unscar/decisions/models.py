"""What the funding decision keeps: computed recommendations (drafts until adopted), the
donors' endorsements of an adopted one, and the decision on each proposal."""
import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dates import UTCDateTime, utcnow
from ..extensions import db
from ..grants.models import Grant
from ..money import Money
from ..proposals.models import Proposal

MEETING_REF_MAX = 100
RATIONALE_MAX = 10_000


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


class Endorsement(db.Model):
    """A donor's endorsement of an adopted recommendation: a record for the file, which no
    decision requires (DESIGN.md "Decision")."""

    __tablename__ = "endorsements"
    __table_args__ = (UniqueConstraint("recommendation_id", "user_id", name="uq_endorsements_recommendation_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(ForeignKey("recommendations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User")


class DecisionOutcome(str, enum.Enum):
    approved = "approved"
    rejected = "rejected"


class Decision(db.Model):
    """The donors' decision on one proposal, recorded by the secretariat and published to
    its applicant when recorded. An approval holds the amount and the grant it made."""

    __tablename__ = "decisions"
    __table_args__ = (CheckConstraint("(outcome = 'approved') = (approved_usd IS NOT NULL)",
                                      name="amount_only_when_approved"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), unique=True)
    outcome: Mapped[DecisionOutcome] = mapped_column(Enum(DecisionOutcome, name="decision_outcome",
                                                          native_enum=False, length=20))
    approved_usd: Mapped[Decimal | None] = mapped_column(Money())
    rationale: Mapped[str] = mapped_column(Text)
    meeting_ref: Mapped[str] = mapped_column(String(MEETING_REF_MAX), default="")
    grant_id: Mapped[int | None] = mapped_column(ForeignKey("grants.id"))
    decided_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proposal: Mapped[Proposal] = relationship()
    grant: Mapped[Grant | None] = relationship()
