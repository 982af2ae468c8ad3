"""Reviewer profiles and links, panels, declarations, assignments, reviews and scores."""
import enum
from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, Enum, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..dates import UTCDateTime, utcnow
from ..extensions import db

COMMENT_MAX = 10_000
REASON_MAX = 2_000


class LinkKind(str, enum.Enum):
    employment = "employment"
    board = "board"
    partnership = "partnership"
    other = "other"


class AssignmentStatus(str, enum.Enum):
    active = "active"
    declined = "declined"
    conflicted = "conflicted"
    removed = "removed"


class Recommendation(str, enum.Enum):
    fund = "fund"
    fund_with_changes = "fund_with_changes"
    do_not_fund = "do_not_fund"


class ReviewerProfile(db.Model):
    """Expertise and languages of a reviewer; English when no language is given."""

    __tablename__ = "reviewer_profiles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    themes: Mapped[list] = mapped_column(JSON, default=list)
    regions: Mapped[list] = mapped_column(JSON, default=list)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    links: Mapped[list["ReviewerLink"]] = relationship(cascade="all, delete-orphan", order_by="ReviewerLink.id")


class ReviewerLink(db.Model):
    """A declared tie to an organisation: a standing conflict of interest."""

    __tablename__ = "reviewer_links"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id", name="uq_reviewer_links_user_organisation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("reviewer_profiles.user_id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[LinkKind] = mapped_column(Enum(LinkKind, name="link_kind", native_enum=False, length=16))


class PanelMember(db.Model):
    __tablename__ = "panel_members"

    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Declaration(db.Model):
    """The per-call confidentiality and conflict-of-interest declaration, signed once."""

    __tablename__ = "declarations"
    __table_args__ = (UniqueConstraint("call_id", "user_id", name="uq_declarations_call_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Assignment(db.Model):
    __tablename__ = "assignments"
    __table_args__ = (UniqueConstraint("proposal_id", "reviewer_id", name="uq_assignments_proposal_reviewer"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id"), index=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[AssignmentStatus] = mapped_column(
        Enum(AssignmentStatus, name="assignment_status", native_enum=False, length=16),
        default=AssignmentStatus.active)
    reason: Mapped[str | None] = mapped_column(Text)
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    status_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    proposal = relationship("Proposal")
    reviewer = relationship("User", foreign_keys=[reviewer_id])
    review: Mapped["Review | None"] = relationship(back_populates="assignment", uselist=False)


class Review(db.Model):
    __tablename__ = "reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), unique=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    recommendation: Mapped[Recommendation | None] = mapped_column(
        Enum(Recommendation, name="review_recommendation", native_enum=False, length=20))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A conflict declared after the review voids it; the review stays, for the audit.
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    assignment: Mapped[Assignment] = relationship(back_populates="review")
    scores: Mapped[list["ReviewScore"]] = relationship(cascade="all, delete-orphan",
                                                       order_by="ReviewScore.criterion_id")


class ReviewScore(db.Model):
    """One criterion's score (1..the call's scale_max) and comment."""

    __tablename__ = "review_scores"
    __table_args__ = (CheckConstraint("score IS NULL OR score >= 1", name="score_positive"),)

    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criteria.id"), primary_key=True)
    score: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")
