"""A grant made from an approved proposal, and its approved budget lines."""
import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dates import UTCDateTime, utcnow
from ..extensions import db
from ..money import Money
from ..proposals.models import BudgetCategory, Proposal


class GrantStatus(str, enum.Enum):
    active = "active"
    extended = "extended"
    closing = "closing"
    closed = "closed"
    suspended = "suspended"


class Grant(db.Model):
    __tablename__ = "grants"
    __table_args__ = (CheckConstraint("approved_usd > 0", name="approved_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), unique=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    agreement_number: Mapped[str] = mapped_column(String(40), unique=True)
    approved_usd: Mapped[Decimal] = mapped_column(Money())
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[GrantStatus] = mapped_column(Enum(GrantStatus, name="grant_status", native_enum=False,
                                                     length=20), default=GrantStatus.active)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))

    proposal: Mapped[Proposal] = relationship()
    budget_lines: Mapped[list["GrantBudgetLine"]] = relationship(
        back_populates="grant", order_by="GrantBudgetLine.position", cascade="all, delete-orphan")


class GrantBudgetLine(db.Model):
    """A line of the approved budget: the proposal's line, scaled when less was approved."""

    __tablename__ = "grant_budget_lines"
    __table_args__ = (UniqueConstraint("grant_id", "position", name="uq_grant_budget_lines_grant_id_position"),
                      CheckConstraint("amount_usd >= 0", name="amount_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    category: Mapped[BudgetCategory] = mapped_column(
        Enum(BudgetCategory, name="budget_category", native_enum=False, length=20))
    description: Mapped[str] = mapped_column(Text)
    year: Mapped[int]
    amount_usd: Mapped[Decimal] = mapped_column(Money())

    grant: Mapped[Grant] = relationship(back_populates="budget_lines")
