"""The portfolio's fixtures: the demo's history file loaded, and grants approved through
the decisions service (a grant counts in the portfolio from its approval)."""
from pathlib import Path

import pytest

from tests.builders import funded, proposals_under_review
from tests.factories import make_user
from unscar.dates import utcnow
from unscar.decisions import recording
from unscar.extensions import db
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
