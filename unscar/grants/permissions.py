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


def can_view_grant(user, grant: Grant) -> bool:
    """The twin of visible_grants for one grant."""
    if has_role(user, "donor", *STAFF_ROLES):
        return True
    return (has_role(user, "applicant") and user.organisation_id is not None
            and user.organisation_id == grant.organisation_id)


def can_manage_grant(user) -> bool:
    """Tranches, disbursements, suspension and closure are the secretariat's."""
    return has_role(user, "secretariat")
