"""Loading the fund's objects: 404 when absent (who may read is checked by the route)."""
from sqlalchemy import select

from ..errors import NotFound
from ..extensions import db
from .models import Contribution, Donor

DONOR_ORDER = "by name, then id"
CONTRIBUTION_ORDER = "newest first (by id, descending)"


def get_donor_or_404(donor_id: int) -> Donor:
    donor = db.session.get(Donor, donor_id)
    if donor is None:
        raise NotFound("No such donor.")
    return donor


def get_contribution_or_404(contribution_id: int) -> Contribution:
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None:
        raise NotFound("No such contribution.")
    return contribution


def listed_donors():
    return select(Donor).order_by(Donor.name, Donor.id)


def listed_contributions(donor_id: int | None = None):
    stmt = select(Contribution).order_by(Contribution.id.desc())
    return stmt if donor_id is None else stmt.where(Contribution.donor_id == donor_id)
