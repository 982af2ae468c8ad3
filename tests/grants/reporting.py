"""A real grant for the reporting tests: a proposal under review approved in full by the
secretariat (the decision commits the money and makes the grant with its scheduled
reports), its grantee and the secretariat user."""
from tests.grants import given


def approved_grant():
    """(grant, grantee, staff): the grant of a new proposal approved in full."""
    grant, staff = given.approved_grant(None)
    return grant, given.grantee(grant), staff


def lines(**amounts) -> list[dict]:
    return [{"category": category, "amount_usd": amount} for category, amount in amounts.items()]
