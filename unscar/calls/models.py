"""A call for proposals (one funding round), its scoring criteria and its templates."""
import enum
from datetime import datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dates import UTCDateTime, utcnow
from ..extensions import db
from ..files import StoredFile
from ..money import FixedDecimal, Money
from ..vocabulary import N_, Labels

# Documented maximum lengths (API and forms alike).
TITLE_MAX = 200
DESCRIPTION_MAX = 20_000
GUIDELINES_MAX = 50_000
CRITERION_NAME_MAX = 200
GUIDANCE_MAX = 2_000


class CallStatus(str, enum.Enum):
    draft = "draft"
    open = "open"
    closed = "closed"
    in_review = "in_review"
    decided = "decided"
    archived = "archived"


CALL_STATUS_LABELS = Labels({
    "draft": N_("Draft"),
    "open": N_("Open"),
    "closed": N_("Closed"),
    "in_review": N_("In review"),
    "decided": N_("Decided"),
    "archived": N_("Archived"),
})


def status_words(status) -> str:
    """A call's status inside a sentence, in the reader's language ("The call is in review")."""
    return CALL_STATUS_LABELS[CallStatus(status).value].lower()


class Call(db.Model):
    __tablename__ = "calls"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="closes_after_opens"),
        CheckConstraint("review_closes_at IS NULL OR review_closes_at > closes_at",
                        name="review_closes_after_closes"),
        CheckConstraint("min_budget_usd <= max_budget_usd", name="budget_range"),
        CheckConstraint("max_budget_usd <= envelope_usd", name="max_budget_within_envelope"),
        CheckConstraint("min_budget_usd >= 0", name="min_budget_not_negative"),
        CheckConstraint("min_duration_months >= 1", name="min_duration_positive"),
        CheckConstraint("min_duration_months <= max_duration_months", name="duration_range"),
        CheckConstraint("indirect_cap_pct >= 0", name="indirect_cap_not_negative"),
        CheckConstraint("reviewers_per_proposal >= 1", name="reviewers_positive"),
        CheckConstraint("scale_max >= 2", name="scale_max_at_least_two"),
        CheckConstraint("max_proposals_per_organisation IS NULL OR max_proposals_per_organisation >= 1",
                        name="proposal_limit_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    # Both hold HTML sanitised on the way in (richtext.sanitise_html).
    description: Mapped[str] = mapped_column(Text)
    guidelines: Mapped[str] = mapped_column(Text)
    status: Mapped[CallStatus] = mapped_column(
        Enum(CallStatus, name="call_status", native_enum=False, length=16),
        default=CallStatus.draft, index=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    review_closes_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    envelope_usd: Mapped[Decimal] = mapped_column(Money())
    min_budget_usd: Mapped[Decimal] = mapped_column(Money())
    max_budget_usd: Mapped[Decimal] = mapped_column(Money())
    min_duration_months: Mapped[int]
    max_duration_months: Mapped[int]
    indirect_cap_pct: Mapped[Decimal] = mapped_column(FixedDecimal(5, 2), default=Decimal("7.00"))
    # Vocabulary keys (API.md); an empty country or region list means "all".
    eligible_applicant_types: Mapped[list] = mapped_column(JSON, default=list)
    eligible_countries: Mapped[list] = mapped_column(JSON, default=list)
    eligible_regions: Mapped[list] = mapped_column(JSON, default=list)
    themes: Mapped[list] = mapped_column(JSON, default=list)
    instruments: Mapped[list] = mapped_column(JSON, default=list)
    # ISO 639-1 codes a proposal may be written in; empty: any language.
    languages: Mapped[list] = mapped_column(JSON, default=list)
    max_proposals_per_organisation: Mapped[int | None]
    blind_review: Mapped[bool] = mapped_column(default=False)
    reviewers_per_proposal: Mapped[int] = mapped_column(default=3)
    scale_max: Mapped[int] = mapped_column(default=5)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    criteria: Mapped[list["Criterion"]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="Criterion.position")
    templates: Mapped[list["CallTemplate"]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="CallTemplate.id")
    # Eager-load where a list shows them (queries.with_translations): one query, not one per call.
    translations: Mapped[list["CallTranslation"]] = relationship(
        back_populates="call", cascade="all, delete-orphan", order_by="CallTranslation.language")

    def text_for(self, language: str):
        """What a reader of `language` sees as title, description and guidelines: the
        translation into it where there is one, else the call as it was written."""
        return next((t for t in self.translations if t.language == language), self)

    def accepts_submissions(self, now: datetime) -> bool:
        """Open, and opens_at <= now < closes_at (DESIGN.md "Call")."""
        return self.status == CallStatus.open and self.opens_at <= now < self.closes_at

    def closed_for_submissions(self, now: datetime) -> bool:
        """Past its deadline, whether or not the secretariat has closed it yet."""
        return self.status != CallStatus.draft and now >= self.closes_at

    def not_yet_open(self, now: datetime) -> bool:
        return self.status == CallStatus.open and now < self.opens_at


class Criterion(db.Model):
    """A scoring criterion; every criterion of a call shares the call's scale_max."""

    __tablename__ = "criteria"
    __table_args__ = (
        CheckConstraint("weight > 0", name="weight_positive"),
        UniqueConstraint("call_id", "position", name="uq_criteria_call_id_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(CRITERION_NAME_MAX))
    guidance: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[Decimal] = mapped_column(FixedDecimal(6, 2))

    call: Mapped[Call] = relationship(back_populates="criteria")


class CallTemplate(StoredFile, db.Model):
    """A downloadable template (budget sheet, proposal form); bytes under UPLOAD_FOLDER."""

    __tablename__ = "call_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    call: Mapped[Call] = relationship(back_populates="templates")


class CallTranslation(db.Model):
    """A call's title, description and guidelines in another language (API.md `translations`):
    the call's own fields keep the text as it was written, and each reader sees the version
    in their language where there is one."""

    __tablename__ = "call_translations"
    __table_args__ = (UniqueConstraint("call_id", "language", name="uq_call_translations_call_id_language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(2))  # ISO 639-1
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    # HTML sanitised on the way in, as the call's own.
    description: Mapped[str] = mapped_column(Text, default="")
    guidelines: Mapped[str] = mapped_column(Text, default="")

    call: Mapped[Call] = relationship(back_populates="translations")
