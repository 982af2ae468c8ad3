"""The portfolio's fixtures: the demo's history file loaded, and grants approved through
the decisions service (a grant counts in the portfolio from its approval)."""
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.builders import funded, proposals_under_review
from tests.factories import make_user
from unscar.dates import utcnow
from unscar.decisions import recording
from unscar.extensions import db
from unscar.funds import services as funds
from unscar.portfolio.history import import_history, read_rows

HISTORY = Path(__file__).resolve().parents[2] / "unscar" / "demo" / "history.csv"
API = "/api/v1/portfolio"


def load_history(text: str | None = None, actor=None):
    result = import_history(actor, read_rows(text or HISTORY.read_text(encoding="utf-8")), utcnow().year)
    db.session.commit()
    return result


@pytest.fixture
def history(app):
    return load_history()


def approve(count: int = 1, **proposal_fields):
    """`count` proposals of one call approved at their request by the donors; the grants."""
    _call, proposals = proposals_under_review(count, **proposal_fields)
    staff = make_user("secretariat")
    funded(staff=staff)
    grants = [recording.record_decision(staff, p, "approved", p.requested_usd, "Approved.", "SPG-1").grant
              for p in proposals]
    db.session.commit()
    return grants


def two_donors():
    """Norway pays for the first grant alone, Japan for the second, both for the third."""
    staff = make_user("secretariat")
    _call, proposals = proposals_under_review(3)
    norway, japan = funds.create_donor(staff, "Norway", "NOR"), funds.create_donor(staff, "Japan", "JPN")

    def give(donor, usd):
        funds.record_contribution(staff, donor, Decimal(usd), "USD", Decimal("1"), "received", date.today())

    def grant(proposal, usd):
        return recording.record_decision(staff, proposal, "approved", Decimal(usd), "Yes.", "SPG-1").grant

    give(norway, "50000.00")  # 43,500.00 programmable
    first = grant(proposals[0], "43500.00")
    give(japan, "100000.00")
    second = grant(proposals[1], "20000.00")
    give(norway, "50000.00")
    third = grant(proposals[2], "50000.00")  # pro rata over Norway's and Japan's balances
    db.session.commit()
    return norway, japan, (first, second, third)
