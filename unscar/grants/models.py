"""A grant made from an approved proposal and its life: the approved budget lines, the
tranche schedule and the disbursements against it, the grantee's financial and narrative
reports (scheduled ones exist from the grant's creation, with their due dates), and budget
revisions and no-cost extensions. The money itself lives in the fund's ledger, by grant id."""
import enum
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, Enum, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dates import UTCDateTime, utcnow
from ..extensions import db
from ..files import StoredFile
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
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    proposal: Mapped[Proposal] = relationship()
    budget_lines: Mapped[list["GrantBudgetLine"]] = relationship(
        back_populates="grant", order_by="GrantBudgetLine.position", cascade="all, delete-orphan")
    tranches: Mapped[list["Tranche"]] = relationship(
        back_populates="grant", order_by="Tranche.position", cascade="all, delete-orphan")
    disbursements: Mapped[list["Disbursement"]] = relationship(
        back_populates="grant", order_by="Disbursement.id", cascade="all, delete-orphan")
    reports: Mapped[list["Report"]] = relationship(
        back_populates="grant", order_by="(Report.due_date, Report.id)", cascade="all, delete-orphan")
    revisions: Mapped[list["Revision"]] = relationship(
        back_populates="grant", order_by="Revision.id", cascade="all, delete-orphan")


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


def _enum(cls, name: str, length: int = 24) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=length)


class TrancheCondition(str, enum.Enum):
    on_approval = "on_approval"  # due as soon as the grant exists: approval records the signed agreement
    on_interim_acceptance = "on_interim_acceptance"  # due once the interim reports are accepted
    on_date = "on_date"  # due from its date


class Tranche(db.Model):
    """A planned disbursement. Whether it is due or paid follows from the reports and the
    disbursements (grants/tranches.py), so it is never stored."""

    __tablename__ = "tranches"
    __table_args__ = (UniqueConstraint("grant_id", "position", name="uq_tranches_grant_id_position"),
                      CheckConstraint("amount_usd > 0", name="amount_positive"))

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    amount_usd: Mapped[Decimal] = mapped_column(Money())
    condition: Mapped[TrancheCondition] = mapped_column(_enum(TrancheCondition, "tranche_condition"))
    due_on: Mapped[date | None] = mapped_column(Date)  # the date of an on_date tranche

    grant: Mapped[Grant] = relationship(back_populates="tranches")


class Disbursement(db.Model):
    """Money paid to the grantee; the fund's ledger holds the matching entry."""

    __tablename__ = "disbursements"
    __table_args__ = (CheckConstraint("amount_usd > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"), index=True)
    amount_usd: Mapped[Decimal] = mapped_column(Money())
    paid_on: Mapped[date] = mapped_column(Date)
    override_reason: Mapped[str | None] = mapped_column(Text)  # paid beyond what was due
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    grant: Mapped[Grant] = relationship(back_populates="disbursements")


class ReportKind(str, enum.Enum):
    financial = "financial"
    narrative = "narrative"


class ReportStage(str, enum.Enum):
    interim = "interim"  # scheduled at mid-term; its acceptance makes the next tranche due
    final = "final"  # scheduled for the grant's end
    other = "other"  # filed by the grantee outside the schedule


class ReportStatus(str, enum.Enum):
    due = "due"  # scheduled, not yet filed ("overdue" is a due one past its due date)
    submitted = "submitted"
    accepted = "accepted"
    returned = "returned"


class Report(db.Model):
    """A financial or narrative report: scheduled with a due date when the grant is made,
    then filed by the grantee and accepted or returned by the secretariat."""

    __tablename__ = "grant_reports"
    __table_args__ = (CheckConstraint("period_start <= period_end", name="period_ordered"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReportKind] = mapped_column(_enum(ReportKind, "report_kind"))
    stage: Mapped[ReportStage] = mapped_column(_enum(ReportStage, "report_stage"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[ReportStatus] = mapped_column(_enum(ReportStatus, "report_status"), default=ReportStatus.due,
                                                 index=True)
    text: Mapped[str | None] = mapped_column(Text)  # narrative reports
    comment: Mapped[str | None] = mapped_column(Text)  # the secretariat's, shown to the grantee
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    grant: Mapped[Grant] = relationship(back_populates="reports")
    lines: Mapped[list["ReportLine"]] = relationship(
        back_populates="report", order_by="ReportLine.id", cascade="all, delete-orphan")
    indicators: Mapped[list["IndicatorProgress"]] = relationship(
        back_populates="report", order_by="IndicatorProgress.id", cascade="all, delete-orphan")
    files: Mapped[list["ReportAttachment"]] = relationship(
        back_populates="report", order_by="ReportAttachment.id", cascade="all, delete-orphan")

    def display_status(self, today: date) -> str:
        """The status to show and filter by: `overdue` for a due report past its due date."""
        if self.status is ReportStatus.due and self.due_date is not None and self.due_date < today:
            return "overdue"
        return self.status.value


class ReportLine(db.Model):
    """Expenditure of a financial report in one budget category."""

    __tablename__ = "grant_report_lines"
    __table_args__ = (UniqueConstraint("report_id", "category", name="uq_grant_report_lines_report_id_category"),
                      CheckConstraint("amount_usd >= 0", name="amount_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("grant_reports.id", ondelete="CASCADE"), index=True)
    category: Mapped[BudgetCategory] = mapped_column(_enum(BudgetCategory, "budget_category", 20))
    amount_usd: Mapped[Decimal] = mapped_column(Money())

    report: Mapped[Report] = relationship(back_populates="lines")


class IndicatorProgress(db.Model):
    """Progress on one indicator of the results framework, matched by the indicator's text."""

    __tablename__ = "grant_indicator_progress"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("grant_reports.id", ondelete="CASCADE"), index=True)
    indicator: Mapped[str] = mapped_column(Text)
    value: Mapped[str] = mapped_column(Text)

    report: Mapped[Report] = relationship(back_populates="indicators")


class ReportAttachment(StoredFile, db.Model):
    """A file of a narrative or financial report."""

    __tablename__ = "grant_report_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("grant_reports.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    report: Mapped[Report] = relationship(back_populates="files")


class RevisionStatus(str, enum.Enum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class Revision(db.Model):
    """A budget revision (new budgets for some categories; the total never grows) and/or a
    no-cost extension (a new end date), requested by the grantee and decided by the
    secretariat."""

    __tablename__ = "grant_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    grant_id: Mapped[int] = mapped_column(ForeignKey("grants.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    end_date: Mapped[date | None] = mapped_column(Date)
    previous_end_date: Mapped[date | None] = mapped_column(Date)
    status: Mapped[RevisionStatus] = mapped_column(_enum(RevisionStatus, "revision_status"),
                                                  default=RevisionStatus.pending, index=True)
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    comment: Mapped[str | None] = mapped_column(Text)

    grant: Mapped[Grant] = relationship(back_populates="revisions")
    lines: Mapped[list["RevisionLine"]] = relationship(
        back_populates="revision", order_by="RevisionLine.id", cascade="all, delete-orphan")


class RevisionLine(db.Model):
    """A category's budget as the revision would set it."""

    __tablename__ = "grant_revision_lines"
    __table_args__ = (UniqueConstraint("revision_id", "category", name="uq_grant_revision_lines_revision_id_category"),
                      CheckConstraint("budget_usd >= 0", name="budget_not_negative"))

    id: Mapped[int] = mapped_column(primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("grant_revisions.id", ondelete="CASCADE"), index=True)
    category: Mapped[BudgetCategory] = mapped_column(_enum(BudgetCategory, "budget_category", 20))
    budget_usd: Mapped[Decimal] = mapped_column(Money())

    revision: Mapped[Revision] = relationship(back_populates="lines")
