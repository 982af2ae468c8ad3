"""Loading for the portfolio's routes: filters whose ids name something, and one funded
project by its reference or 404. Anyone may read the portfolio: it holds funded
projects only (records.py), so there is nobody to hide a project from."""
from flask_babel import gettext as _
from sqlalchemy import select

from ..calls.models import Call, CallStatus
from ..errors import NotFound, ValidationFailed
from ..extensions import db
from ..inputs import unstorable_text_message
from ..funds.models import Donor
from .records import project_by_reference

REFERENCE_MAX = 40


def check_filter_ids(filters: dict) -> dict:
    """422 for a donor_id or call_id that names nothing anyone may see (a draft call is
    no call to the public)."""
    errors = {}
    if filters.get("donor_id") is not None and db.session.get(Donor, filters["donor_id"]) is None:
        errors["donor_id"] = [_("No such donor.")]
    if filters.get("call_id") is not None and db.session.scalar(select(Call.id).where(
            Call.id == filters["call_id"], Call.status != CallStatus.draft)) is None:
        errors["call_id"] = [_("No such call.")]
    if errors:
        raise ValidationFailed(_("Some filters name nothing."), errors=errors)
    return filters


def get_project_or_404(reference: str):
    """The funded project's row (records.project_rows), or 404."""
    row = None
    # A text the database cannot hold (NUL, a lone surrogate) is no reference, not a query error.
    if 0 < len(reference) <= REFERENCE_MAX and unstorable_text_message(reference) is None:
        row = db.session.execute(project_by_reference(reference)).first()
    if row is None:
        raise NotFound(_("No funded project has this reference."))
    return row
