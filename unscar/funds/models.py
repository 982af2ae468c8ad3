"""Donors, contributions, the fund ledger's entries and the fund's lock row.

The ledger is append-only entries, never a stored running total (DESIGN.md "Fund
ledger"); every figure is a SUM over them. Grants are known by id only: `grant_id` is a
plain integer, since grants sit above funds in the order of parts.
"""
import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dates import UTCDateTime, utcnow
from ..extensions import db
from ..money import FixedDecimal, Money, round_cents

NAME_MAX = 200
NOTE_MAX = 500
EARMARK_MAX = 64
FUND_ID = 1


class ContributionStatus(str, enum.Enum):
    pledged = "pledged"
    received = "received"


class EntryKind(str, enum.Enum):
    received = "received"
    psc = "psc"
    commitment = "commitment"
    release = "release"
    disbursement = "disbursement"
    expenditure = "expenditure"
    # A returned financial report stops counting in spent: its expenditure is reversed
    # by an entry of its own, since entries are never changed or deleted.
    expenditure_reversal = "expenditure_reversal"
    refund = "refund"


class Donor(db.Model):
    __tablename__ = "donors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(NAME_MAX))
    country: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    contributions: Mapped[list["Contribution"]] = relationship(
        back_populates="donor", order_by="Contribution.id", viewonly=True)


class Contribution(db.Model):
    """A pledge or a receipt, in its own currency; its USD value is fixed on receipt."""

    __tablename__ = "contributions"
    __table_args__ = (
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint("usd_rate > 0", name="usd_rate_positive"),
        CheckConstraint("status != 'received' OR received_on IS NOT NULL", name="received_has_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    donor_id: Mapped[int] = mapped_column(ForeignKey("donors.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money())  # in `currency`, not USD
    currency: Mapped[str] = mapped_column(String(3))
    usd_rate: Mapped[Decimal] = mapped_column(FixedDecimal(18, 6))  # USD per unit of currency
    status: Mapped[ContributionStatus] = mapped_column(
        Enum(ContributionStatus, name="contribution_status", native_enum=False, length=16))
    pledged_on: Mapped[date | None] = mapped_column(Date)
    received_on: Mapped[date | None] = mapped_column(Date)
    earmark: Mapped[str | None] = mapped_column(String(EARMARK_MAX))  # "theme:<key>" or "region:<Region>"
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    donor: Mapped[Donor] = relationship(back_populates="contributions")

    @property
    def usd_amount(self) -> Decimal:
        """Its USD value at its rate, rounded half-up: what its receipt entered in the ledger."""
        return round_cents(self.amount * self.usd_rate)


class LedgerEntry(db.Model):
    """One movement of the fund, always a positive USD amount; its kind gives the sign."""

    __tablename__ = "ledger_entries"
    __table_args__ = (CheckConstraint("amount_usd > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[EntryKind] = mapped_column(Enum(EntryKind, name="entry_kind", native_enum=False, length=24),
                                            index=True)
    amount_usd: Mapped[Decimal] = mapped_column(Money())
    contribution_id: Mapped[int | None] = mapped_column(ForeignKey("contributions.id"), index=True)
    # Attribution: whose money a receipt, a commitment or its release is.
    donor_id: Mapped[int | None] = mapped_column(ForeignKey("donors.id"), index=True)
    grant_id: Mapped[int | None] = mapped_column(Integer, index=True)  # grants sit above funds
    on: Mapped[date] = mapped_column("on_date", Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))


class Fund(db.Model):
    """The fund's one row (id 1), locked by every ledger write so that two approvals
    are checked against the available balance one after the other, never both at once."""

    __tablename__ = "fund"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
