"""Commitments at the same moment never over-commit the fund, and a pledge received twice
at once is received once: the fund's row lock (FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE
on SQLite) makes the second writer read the balance after the first one's commit."""
import threading
from datetime import date
from decimal import Decimal

from unscar.accounts.models import User
from tests.factories import make_user
from unscar.errors import InsufficientFunds, InvalidTransition
from unscar.extensions import db
from unscar.funds import services
from unscar.funds.models import Contribution

DAY = date(2026, 11, 20)
WORKERS = 8


def _race(make_app, work) -> list[str]:
    """Run work(i) in WORKERS threads, each in its own application (as separate server
    processes would), all starting together; answer what each ended with."""
    servers = [make_app() for _ in range(2)]
    start = threading.Barrier(WORKERS)
    outcomes: list[str] = []

    def run(i):
        with servers[i % 2].app_context():
            start.wait()
            try:
                work(i)
                db.session.commit()
                outcomes.append("ok")
            except (InsufficientFunds, InvalidTransition) as refused:
                db.session.rollback()
                outcomes.append(type(refused).__name__)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_concurrent_commitments_succeed_only_as_far_as_the_money_goes(app, make_app):
    staff = make_user("secretariat")
    donor = services.create_donor(staff, "Norway", "NOR")
    services.record_contribution(staff, donor, Decimal("1000.00"), "USD", Decimal("1"), "received", DAY)
    db.session.commit()  # 870.00 available: room for four commitments of 200.00
    staff_id = staff.id

    def commit(i):
        services.commit_funds(db.session.get(User, staff_id), i + 1, Decimal("200.00"), [], DAY)

    outcomes = _race(make_app, commit)
    db.session.rollback()
    assert sorted(outcomes) == ["InsufficientFunds"] * 4 + ["ok"] * 4
    figures = services.fund_figures()
    assert (figures["committed_usd"], figures["available_usd"]) == (Decimal("800.00"), Decimal("70.00"))


def test_a_pledge_received_by_several_at_once_is_received_once(app, make_app):
    staff = make_user("secretariat")
    donor = services.create_donor(staff, "Norway", "NOR")
    pledge = services.record_contribution(staff, donor, Decimal("1000.00"), "USD", Decimal("1"), "pledged", DAY)
    db.session.commit()
    staff_id, pledge_id = staff.id, pledge.id

    def receive(i):
        services.receive_contribution(db.session.get(User, staff_id), db.session.get(Contribution, pledge_id),
                                      DAY, Decimal("1"))

    outcomes = _race(make_app, receive)
    db.session.rollback()
    assert sorted(outcomes) == ["InvalidTransition"] * (WORKERS - 1) + ["ok"]
    assert services.fund_figures()["received_usd"] == Decimal("1000.00")
