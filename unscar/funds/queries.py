"""Loading the fund's objects: 404 when absent (who may read is checked by the route)."""
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import and_, func, select

from ..errors import NotFound
from ..extensions import db
from .models import Contribution, Donor, EntryKind, LedgerEntry

DONOR_ORDER = "by name, then id"
CONTRIBUTION_ORDER = "newest first (by id, descending)"


def get_donor_or_404(donor_id: int) -> Donor:
    donor = db.session.get(Donor, donor_id)
    if donor is None:
        raise NotFound(_("No such donor."))
    return donor


def get_contribution_or_404(contribution_id: int) -> Contribution:
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None:
        raise NotFound(_("No such contribution."))
    return contribution


def listed_donors():
    return select(Donor).order_by(Donor.name, Donor.id)


def listed_contributions(donor_id: int | None = None):
    stmt = select(Contribution).order_by(Contribution.id.desc())
    return stmt if donor_id is None else stmt.where(Contribution.donor_id == donor_id)


def received_by_donor() -> list[tuple[str, Decimal]]:
    """(donor name, USD received) of every donor, largest first: one aggregate query."""
    total = func.coalesce(func.sum(LedgerEntry.amount_usd), 0)
    rows = db.session.execute(select(Donor.name, total).outerjoin(LedgerEntry, and_(
        LedgerEntry.donor_id == Donor.id, LedgerEntry.kind == EntryKind.received))
        .group_by(Donor.id, Donor.name).order_by(total.desc(), Donor.name)).all()
    return [(name, Decimal(amount)) for name, amount in rows]


def yearly_flows() -> list[dict]:
    """Per year: USD received, committed (net of releases and refunds) and disbursed, from
    the ledger's entries in one aggregate query."""
    year = func.extract("year", LedgerEntry.on)
    rows = db.session.execute(select(year, LedgerEntry.kind, func.sum(LedgerEntry.amount_usd))
                              .group_by(year, LedgerEntry.kind).order_by(year)).all()
    years: dict[int, dict] = {}
    for y, kind, amount in rows:
        row = years.setdefault(int(y), {"year": int(y), "received": Decimal(0), "committed": Decimal(0),
                                        "disbursed": Decimal(0)})
        amount = Decimal(amount)
        if kind == EntryKind.received:
            row["received"] += amount
        elif kind == EntryKind.commitment:
            row["committed"] += amount
        elif kind in (EntryKind.release, EntryKind.refund):
            row["committed"] -= amount
        elif kind == EntryKind.disbursement:
            row["disbursed"] += amount
    return list(years.values())
