"""The figures and links of the home page's cards: the portfolio at a glance for donors
(and what their own contributions paid for), and the calls in review, whose ranking and
recommendation donors and the secretariat come for. A fixed number of statements,
whatever the number of projects or calls."""
from sqlalchemy import select

from ..calls.models import Call, CallStatus
from ..extensions import db
from ..portfolio.dashboard import own_donor, own_figures
from ..portfolio.figures import totals
from ..portfolio.records import project_rows

CALLS_SHOWN = 10


def portfolio_card(user) -> dict:
    """The whole portfolio's totals, and the donor's own figures when the user speaks for one."""
    donor = own_donor(user)
    return {"figures": totals(project_rows(), []), "mine": own_figures(donor) if donor else None}


def calls_in_review() -> tuple[list[Call], bool]:
    """The calls in review, newest first, at most CALLS_SHOWN; and whether there are more."""
    calls = list(db.session.scalars(select(Call).where(Call.status == CallStatus.in_review)
                                    .order_by(Call.closes_at.desc(), Call.id.desc()).limit(CALLS_SHOWN + 1)))
    return calls[:CALLS_SHOWN], len(calls) > CALLS_SHOWN
