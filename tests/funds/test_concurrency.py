"""Commitments at the same moment never over-commit the fund, and a pledge received twice
at once is received once: the fund's row lock (FOR UPDATE on PostgreSQL, BEGIN IMMEDIATE
on SQLite) makes the second writer read the balance after the first one's commit."""
from datetime import date
from decimal import Decimal

from tests.factories import make_user
from tests.races import WORKERS, race
from unscar.accounts.models import User
from unscar.extensions import db
from unscar.funds import services
from unscar.funds.models import Contribution

DAY = date(2026, 11, 20)


def test_concurrent_commitments_succeed_only_as_far_as_the_money_goes(app, make_app):
    staff = make_user("secretariat")
    donor = services.create_donor(staff, "Norway", "NOR")
    services.record_contribution(staff, donor, Decimal("1000.00"), "USD", Decimal("1"), "received", DAY)
    db.session.commit()  # 870.00 available: room for four commitments of 200.00
    staff_id = staff.id

    def commit(i):
        services.commit_funds(db.session.get(User, staff_id), i + 1, Decimal("200.00"), [], DAY)

    outcomes = race(make_app, commit)
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

    outcomes = race(make_app, receive)
    db.session.rollback()
    assert sorted(outcomes) == ["InvalidTransition"] * (WORKERS - 1) + ["ok"]
    assert services.fund_figures()["received_usd"] == Decimal("1000.00")
