"""Who files, reviews and reads a grant's reports and revisions (API.md "Grants").

The grantee is "its organisation": an applicant of the grant's organisation. The
secretariat reviews reports and decides revisions. Reports are read by whoever may read
the grant (permissions.visible_grants: its organisation, donors, staff); revisions by the
secretariat, admins and its organisation, never donors.
"""
from sqlalchemy import Select, false, select

from ..permissions import has_role
from ..roles import STAFF_ROLES
from .models import Grant, GrantStatus, Report, Revision
from .permissions import visible_grants

REPORT_READERS = ("applicant", "donor", *STAFF_ROLES)
REVISION_READERS = ("applicant", *STAFF_ROLES)


def is_grantee(user, grant: Grant) -> bool:
    return (has_role(user, "applicant") and user.organisation_id is not None
            and user.organisation_id == grant.organisation_id)


def can_file_reports(user, grant: Grant) -> bool:
    """The grantee files and corrects reports until the grant is closed."""
    return is_grantee(user, grant) and grant.status is not GrantStatus.closed


def can_request_revision(user, grant: Grant) -> bool:
    return can_file_reports(user, grant)


def can_review_reports(user) -> bool:
    """The secretariat accepts or returns reports and decides revisions."""
    return has_role(user, "secretariat")


def can_view_grant_reports(user, grant: Grant) -> bool:
    return has_role(user, "donor", *STAFF_ROLES) or is_grantee(user, grant)


def can_view_revisions(user, grant: Grant) -> bool:
    return has_role(user, *STAFF_ROLES) or is_grantee(user, grant)


def visible_reports(user) -> Select:
    """The reports `user` may read, as a query (the query twin of can_view_grant_reports)."""
    return select(Report).where(Report.grant_id.in_(visible_grants(user).with_only_columns(Grant.id)))


def visible_revisions(user) -> Select:
    """The revisions `user` may read: staff all, the grantee its own, nobody else."""
    stmt = select(Revision)
    if has_role(user, *STAFF_ROLES):
        return stmt
    if has_role(user, "applicant") and user.organisation_id is not None:
        return stmt.join(Grant, Grant.id == Revision.grant_id).where(Grant.organisation_id == user.organisation_id)
    return stmt.where(false())
