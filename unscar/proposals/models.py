"""A proposal to a call, its budget lines, attachments and history."""
import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Date, Enum, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dates import UTCDateTime, utcnow
from ..extensions import db
from ..files import StoredFile
from ..money import FixedDecimal, Money
from ..vocabulary import N_, Labels

TITLE_MAX = 300
SUMMARY_MAX = 5_000
LONG_TEXT_MAX = 20_000
SHORT_TEXT_MAX = 500


class ProposalStatus(str, enum.Enum):
    draft = "draft"
    submitted = "submitted"
    under_review = "under_review"
    screened_out = "screened_out"
    withdrawn = "withdrawn"
    recommended = "recommended"
    not_recommended = "not_recommended"
    approved = "approved"
    rejected = "rejected"


# A status as people read it, in a sentence or on a badge ("The proposal is under review").
PROPOSAL_STATUS_LABELS = Labels({
    "draft": N_("draft"),
    "submitted": N_("submitted"),
    "under_review": N_("under review"),
    "screened_out": N_("screened out"),
    "withdrawn": N_("withdrawn"),
    "recommended": N_("recommended"),
    "not_recommended": N_("not recommended"),
    "approved": N_("approved"),
    "rejected": N_("rejected"),
})


class BudgetCategory(str, enum.Enum):
    staff = "staff"
    supplies = "supplies"
    equipment = "equipment"
    contractual = "contractual"
    travel = "travel"
    transfers = "transfers"
    general_operating = "general_operating"
    indirect = "indirect"


def _status_enum(name: str):
    return Enum(ProposalStatus, name=name, native_enum=False, length=20)


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("gender_marker IS NULL OR gender_marker IN (0, 1, 2)", name="gender_marker_range"),
        CheckConstraint("duration_months IS NULL OR duration_months >= 1", name="duration_positive"),
        Index("ix_proposals_call_status", "call_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # UNSCAR-YEAR-NNNN, from a per-year counter taken under a lock; never reused.
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[ProposalStatus] = mapped_column(_status_enum("proposal_status"),
                                                   default=ProposalStatus.draft)
    title: Mapped[str] = mapped_column(String(TITLE_MAX), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    objectives: Mapped[str] = mapped_column(Text, default="")
    # [{"outcome", "outputs": [{"output", "indicators": [{"indicator", "baseline", "target"}]}]}]
    results: Mapped[list] = mapped_column(JSON, default=list)
    activity_types: Mapped[list] = mapped_column(JSON, default=list)
    themes: Mapped[list] = mapped_column(JSON, default=list)
    instruments: Mapped[list] = mapped_column(JSON, default=list)
    countries: Mapped[list] = mapped_column(JSON, default=list)
    start_date: Mapped[date | None] = mapped_column(Date)
    duration_months: Mapped[int | None]
    gender_marker: Mapped[int | None]
    risks: Mapped[str] = mapped_column(Text, default="")
    sustainability: Mapped[str] = mapped_column(Text, default="")
    cofunding_usd: Mapped[Decimal | None] = mapped_column(Money())
    language: Mapped[str | None] = mapped_column(String(2))
    # The budget's total, kept with the lines it sums so lists need no aggregate query.
    requested_usd: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    checks_snapshot: Mapped[dict | None] = mapped_column(JSON)
    screening_reason: Mapped[str | None] = mapped_column(Text)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    call = relationship("Call")
    organisation = relationship("Organisation")
    budget_lines: Mapped[list["BudgetLine"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="BudgetLine.position")
    attachments: Mapped[list["Attachment"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="Attachment.id")
    history: Mapped[list["StatusChange"]] = relationship(
        back_populates="proposal", cascade="all, delete-orphan", order_by="StatusChange.id")

    @property
    def is_editable(self) -> bool:
        return self.status == ProposalStatus.draft and self.deleted_at is None


class BudgetLine(db.Model):
    __tablename__ = "budget_lines"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        UniqueConstraint("proposal_id", "position", name="uq_budget_lines_proposal_id_position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    category: Mapped[BudgetCategory] = mapped_column(
        Enum(BudgetCategory, name="budget_category", native_enum=False, length=20))
    description: Mapped[str] = mapped_column(String(SHORT_TEXT_MAX))
    unit: Mapped[str] = mapped_column(String(50))
    quantity: Mapped[Decimal] = mapped_column(FixedDecimal(12, 2))
    unit_cost_usd: Mapped[Decimal] = mapped_column(Money())
    amount_usd: Mapped[Decimal] = mapped_column(Money())
    year: Mapped[int]

    proposal: Mapped[Proposal] = relationship(back_populates="budget_lines")


class Attachment(StoredFile, db.Model):
    """A file of a proposal, or of an answer to a clarification question."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    clarification_id: Mapped[int | None] = mapped_column(ForeignKey("clarifications.id"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="attachments")


class StatusChange(db.Model):
    """One transition of a proposal: its history, shown to those who may see it."""

    __tablename__ = "proposal_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[ProposalStatus | None] = mapped_column(_status_enum("proposal_status"))
    to_status: Mapped[ProposalStatus] = mapped_column(_status_enum("proposal_status"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reason: Mapped[str | None] = mapped_column(Text)

    proposal: Mapped[Proposal] = relationship(back_populates="history")
    actor = relationship("User")


class ReferenceCounter(db.Model):
    """The last reference number used in a year; its row is locked to take the next."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)
