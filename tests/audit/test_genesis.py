"""The migration that brings the chain chains the events already stored, in id order,
and the application's writers carry on from that head."""
from datetime import datetime, timezone

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import insert, select, text

from tests.conftest import ON_POSTGRES, make_config
from tests.databases import scratch_database
from unscar import create_app
from unscar.audit.models import AuditEvent, AuditLink
from unscar.audit.services import record_event
from unscar.audit.verify import verify_chain
from unscar.extensions import db

BEFORE_THE_CHAIN = "0e3fcd3a6c59"
OLD_EVENTS = 2500  # more than one batch of the migration's


@pytest.fixture
def fresh_database_url(tmp_path):
    if not ON_POSTGRES:
        yield f"sqlite:///{tmp_path / 'genesis.sqlite3'}"
        return
    with scratch_database("_genesis") as url:
        yield url


def test_the_migration_chains_existing_events_in_id_order(fresh_database_url, tmp_path):
    app = create_app(make_config(fresh_database_url, tmp_path))
    with app.app_context():
        try:
            upgrade(revision=BEFORE_THE_CHAIN)
            at = datetime(2025, 5, 1, 9, 30, 15, 123456, tzinfo=timezone.utc)
            with db.engine.begin() as conn:  # events written before the chain existed
                conn.execute(insert(AuditEvent.__table__), [
                    {"at": at, "action": f"old.{n}", "object_type": "system", "object_id": n,
                     "after": {"amount": "10.00", "n": n}} for n in range(OLD_EVENTS)])
            upgrade()
            verdict = verify_chain()
            assert verdict.intact and verdict.checked == OLD_EVENTS
            chain = db.session.execute(select(AuditLink.seq, AuditLink.event_id).order_by(AuditLink.seq)).all()
            assert [event_id for _, event_id in chain] == sorted(event_id for _, event_id in chain)

            record_event(None, "after.the.migration", object_type="system")
            db.session.commit()
            verdict = verify_chain()
            assert verdict.intact and verdict.checked == OLD_EVENTS + 1
            db.session.remove()

            downgrade(revision=BEFORE_THE_CHAIN)  # the events stay, the chain goes
            with db.engine.connect() as conn:
                assert conn.scalar(text("SELECT COUNT(*) FROM audit_events")) == OLD_EVENTS + 1
        finally:
            db.session.remove()
            db.engine.dispose()
