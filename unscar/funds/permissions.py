"""Who may change and who may read the fund (API.md "The fund")."""
from ..roles import RANKING_ROLES

# Staff and the donors' representatives read the fund, its donors and contributions.
FUND_READERS = RANKING_ROLES


def _has(user, *roles) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", True)) and user.has_role(*roles)


def can_manage_fund(user) -> bool:
    """Donors, contributions and the ledger are written by the secretariat."""
    return _has(user, "secretariat")


def can_view_fund(user) -> bool:
    return _has(user, *FUND_READERS)


def can_report_expenditure(user) -> bool:
    """Expenditure comes from financial reports, filed by the grantee (whose organisation
    the grants part checks) and accepted or returned by the secretariat."""
    return _has(user, "secretariat", "applicant")
