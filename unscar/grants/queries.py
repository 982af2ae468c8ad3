"""Loading grants with what each page needs, visible-or-404, and the lock every writer of a
grant's money or status takes."""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..errors import NotFound
from ..extensions import db
from ..funds.ledger import lock_fund
from ..locking import lock_one
from ..proposals.models import Proposal
from .models import Grant, Revision
from .permissions import can_view_grant

GRANT_ORDER = "newest first (by creation, then id, descending)"


def with_life(stmt):
    """A grant with everything its page and the API show, in a fixed number of queries."""
    return stmt.options(
        joinedload(Grant.proposal).joinedload(Proposal.organisation),
        selectinload(Grant.budget_lines), selectinload(Grant.tranches), selectinload(Grant.disbursements),
        selectinload(Grant.reports), selectinload(Grant.revisions).selectinload(Revision.lines))


def get_grant_or_404(user, grant_id: int) -> Grant:
    grant = db.session.scalar(with_life(select(Grant).where(Grant.id == grant_id)))
    if grant is None or not can_view_grant(user, grant):
        raise NotFound(_("No such grant."))
    return grant


def lock_grant(grant: Grant) -> Grant:
    """Lock the fund's row, then the grant's, for the rest of the transaction, and reload
    what the rules read (status, tranches, disbursements, reports), so a check made now
    cannot be overtaken before the change is written. Always in this order (fund, then
    grant), the order the ledger's writers already follow, so two writers never deadlock."""
    lock_fund()
    locked = lock_one(select(Grant).where(Grant.id == grant.id).execution_options(populate_existing=True))
    db.session.expire(locked, ["tranches", "disbursements", "reports", "revisions"])
    return locked

