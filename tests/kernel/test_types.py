"""Money and time behave the same on SQLite and PostgreSQL; the write lock works on both."""
import threading
import time
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, func, insert, select, update

from tests.factories import make_user
from unscar.dates import UTCDateTime
from unscar.extensions import db
from unscar.locking import acquire_write_lock, lock_one
from unscar.money import Money, MoneyError, parse_money

scratch = MetaData()
ledger = Table("test_ledger", scratch, Column("id", Integer, primary_key=True),
               Column("amount", Money()), Column("at", UTCDateTime()))


@pytest.fixture
def ledger_table(app):
    scratch.create_all(db.engine)
    yield ledger
    db.session.rollback()
    scratch.drop_all(db.engine)


@pytest.mark.parametrize("given, expected", [
    ("150000.00", Decimal("150000.00")), (150000, Decimal("150000.00")), (0.1, Decimal("0.10")),
    ("12.5", Decimal("12.50")), ("999999999.99", Decimal("999999999.99")), ("1.500", Decimal("1.50")),
])
def test_money_is_read_exactly(given, expected):
    assert parse_money(given) == expected


@pytest.mark.parametrize("given", ["-1", -0.01, "1.005", 1.005, "NaN", "Infinity", "1e12", "1000000000.00",
                                   "abc", "", True, None, [1]])
def test_bad_money_is_refused(given):
    with pytest.raises(MoneyError):
        parse_money(given)


def test_money_round_trips_and_sums_exactly(ledger_table):
    amounts = [Decimal("0.10"), Decimal("0.20"), Decimal("999999999.99"), Decimal("1234.56")]
    for amount in amounts:
        db.session.execute(insert(ledger_table).values(amount=amount))
    db.session.commit()
    stored = db.session.scalars(select(ledger_table.c.amount).order_by(ledger_table.c.id)).all()
    assert stored == amounts and all(isinstance(a, Decimal) for a in stored)
    assert db.session.scalar(select(func.sum(ledger_table.c.amount))) == sum(amounts)


def test_datetimes_come_back_aware_in_utc(ledger_table):
    nairobi = timezone(timedelta(hours=3))
    moment = datetime(2026, 7, 31, 23, 59, 30, tzinfo=nairobi)
    db.session.execute(insert(ledger_table).values(amount=1, at=moment))
    db.session.commit()
    stored = db.session.scalar(select(ledger_table.c.at))
    assert stored == moment and stored.utcoffset() == timedelta(0)
    assert db.session.scalar(select(ledger_table.c.id).where(ledger_table.c.at > moment - timedelta(seconds=1))) == 1


def test_naive_datetimes_are_refused(ledger_table):
    with pytest.raises(Exception, match="naive"):
        db.session.execute(insert(ledger_table).values(amount=1, at=datetime(2026, 1, 1)))


def test_user_timestamps_are_aware(app):
    user = make_user("donor")
    db.session.expire_all()
    assert user.created_at.tzinfo is not None and user.created_at.utcoffset() == timedelta(0)


def test_the_write_lock_makes_concurrent_read_then_write_safe(ledger_table, make_app):
    """Two workers each read the balance and add to it; with the lock, no update is lost."""
    db.session.execute(insert(ledger_table).values(id=1, amount=0))
    db.session.commit()
    apps = [make_app(), make_app()]
    errors = []

    def add_ten_times(worker_app):
        try:
            with worker_app.app_context():
                for _ in range(10):
                    balance = lock_one(select(ledger_table.c.amount).where(ledger_table.c.id == 1))
                    time.sleep(0.005)  # widen the window in which an unlocked read would go stale
                    db.session.execute(update(ledger_table).where(ledger_table.c.id == 1)
                                       .values(amount=balance + 1))
                    db.session.commit()
        except Exception as error:  # surfaced below, where pytest can show it
            errors.append(error)

    threads = [threading.Thread(target=add_ten_times, args=(a,)) for a in apps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.rollback()
    assert db.session.scalar(select(ledger_table.c.amount)) == Decimal("20.00")


def test_acquire_write_lock_restarts_a_read_only_transaction(ledger_table, make_app):
    db.session.execute(insert(ledger_table).values(id=1, amount=5))
    db.session.commit()
    db.session.scalar(select(ledger_table.c.amount))  # a read transaction is now open
    other = make_app()
    with other.app_context():
        acquire_write_lock()
        db.session.execute(update(ledger_table).values(amount=7))
        db.session.commit()
    acquire_write_lock()
    assert db.session.scalar(select(ledger_table.c.amount)) == Decimal("7.00")
    db.session.execute(update(ledger_table).values(amount=8))
    db.session.commit()
