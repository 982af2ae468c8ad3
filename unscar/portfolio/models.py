"""A project the fund financed before this system kept its grants: imported from the
fund's history (API.md "Portfolio", `POST /portfolio/import`).

It is a portfolio record only, never a grant: no call, proposal or ledger entry stands
behind it, so the fund's figures do not move when history is imported (issue 14). The
portfolio reads these rows and the grants through one query (portfolio/records.py).
"""
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, Date, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..dates import UTCDateTime, utcnow
from ..extensions import db
from ..money import Money
from ..vocabulary import OrganisationType

REFERENCE_MAX = 40
TITLE_MAX = 300
NAME_MAX = 200


class PastProject(db.Model):
    __tablename__ = "past_projects"
    __table_args__ = (
        CheckConstraint("approved_usd > 0", name="approved_positive"),
        CheckConstraint("gender_marker IS NULL OR gender_marker IN (0, 1, 2)", name="gender_marker_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(REFERENCE_MAX), unique=True)
    year: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    organisation_name: Mapped[str] = mapped_column(String(NAME_MAX))
    organisation_type: Mapped[OrganisationType] = mapped_column(
        Enum(OrganisationType, name="organisation_type", native_enum=False, length=32))
    organisation_country: Mapped[str] = mapped_column(String(3))
    # Vocabulary keys and ISO 3166-1 alpha-3 codes, as a proposal keeps them.
    countries: Mapped[list] = mapped_column(JSON, default=list)
    themes: Mapped[list] = mapped_column(JSON, default=list)
    activity_types: Mapped[list] = mapped_column(JSON, default=list)
    instruments: Mapped[list] = mapped_column(JSON, default=list)
    gender_marker: Mapped[int | None]
    approved_usd: Mapped[Decimal] = mapped_column(Money())
    start_date: Mapped[date | None] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
