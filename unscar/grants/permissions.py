"""Who sees grants (API.md "Grants"): its organisation, the donors and the staff; never
reviewers."""
from sqlalchemy import Select, false, select

from ..permissions import has_role
from ..roles import STAFF_ROLES
from .models import Grant

GRANT_READERS = ("applicant", "donor", *STAFF_ROLES)


def visible_grants(user) -> Select:
    """The grants `user` may see, as a query."""
    stmt = select(Grant)
    if has_role(user, "donor", *STAFF_ROLES):
        return stmt
    if has_role(user, "applicant") and user.organisation_id is not None:
        return stmt.where(Grant.organisation_id == user.organisation_id)
    return stmt.where(false())
