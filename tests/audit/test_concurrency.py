"""Writers at the same moment, in two server processes' worth of applications, keep one
unbroken chain: the chain lock (pg_advisory_xact_lock on PostgreSQL, the write lock on
SQLite) makes each commit read the head the one before it committed."""
import time

from sqlalchemy import select

from tests.races import WORKERS, race
from unscar.audit.models import AuditEvent, AuditLink
from unscar.audit.services import record_event
from unscar.audit.verify import verify_chain
from unscar.errors import DomainError
from unscar.extensions import db
from unscar.locking import acquire_write_lock

EVENTS_EACH = 3


class ChangedMyMind(DomainError):
    pass


def test_concurrent_writers_keep_one_chain_without_gaps(app, make_app):
    def write(i):
        acquire_write_lock()  # SQLite: as a writing request would; PostgreSQL: nothing
        for n in range(EVENTS_EACH):
            record_event(None, f"writer.{i}", object_type="system", after={"n": n})
            db.session.flush()
            time.sleep(0.01)  # the transactions overlap
        if i % 4 == 3:
            raise ChangedMyMind("changed my mind")  # rolled back: its events must leave no trace in the chain

    for _ in range(3):
        outcomes = race(make_app, write)
        assert sorted(outcomes) == ["ChangedMyMind"] * (WORKERS // 4) + ["ok"] * (WORKERS - WORKERS // 4)
    db.session.rollback()

    committed = 3 * (WORKERS - WORKERS // 4) * EVENTS_EACH
    verdict = verify_chain()
    assert verdict.intact and verdict.checked == committed
    chain = db.session.execute(select(AuditLink.seq, AuditEvent.action)
                               .join(AuditEvent, AuditEvent.id == AuditLink.event_id).order_by(AuditLink.seq)).all()
    assert [seq for seq, _ in chain] == list(range(1, committed + 1))
    # Each transaction's events sit together in the chain, in the order it wrote them.
    actions = [action for _, action in chain]
    runs = [actions[i:i + EVENTS_EACH] for i in range(0, committed, EVENTS_EACH)]
    assert all(len(set(run)) == 1 for run in runs)
    assert not any(action.endswith(("3", "7")) for action in actions)
