"""How the chain is extended: over every stored field in a fixed canonical form, at
commit, by single events and bulk ones alike, and never with a gap."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DatabaseError

from tests.audit.tampering import committed_events
from tests.factories import make_user
from unscar.audit.chain import GENESIS, HASHED_FIELDS, canonical_form, extend_chain, link_hash
from unscar.audit.models import AuditEvent, AuditLink
from unscar.audit.services import record_event, record_events
from unscar.audit.verify import verify_chain
from unscar.extensions import db


def links() -> list[tuple[int, int]]:
    return db.session.execute(select(AuditLink.seq, AuditLink.event_id).order_by(AuditLink.seq)).all()


def test_the_hash_covers_every_stored_field_of_an_event():
    """A column added to AuditEvent and left out of the hash could be edited unnoticed."""
    assert set(HASHED_FIELDS) == set(AuditEvent.__table__.columns.keys())


def test_the_canonical_form_is_sorted_compact_json_in_utc():
    event = {"id": 7, "at": datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc), "actor_id": None,
             "action": "grant.disbursed", "object_type": "grants", "object_id": 3,
             "before": None, "after": {"amount": "1500.00", "é": [1, 2]}}
    assert canonical_form(event, 2, GENESIS) == (
        '{"action":"grant.disbursed","actor_id":null,"after":{"amount":"1500.00","é":[1,2]},'
        '"at":"2026-03-01T12:00:00.000000+00:00","before":null,"id":7,"object_id":3,"object_type":"grants",'
        f'"prev_hash":"{GENESIS}","seq":2}}').encode()
    # The same moment given in another zone hashes the same.
    other_zone = dict(event, at=datetime.fromisoformat("2026-03-01T14:00:00+02:00"))
    assert link_hash(other_zone, 2, GENESIS) == link_hash(event, 2, GENESIS)


def test_each_link_holds_the_hash_of_the_one_before(app):
    ids = committed_events(3)
    chain = db.session.scalars(select(AuditLink).order_by(AuditLink.seq)).all()
    assert [(link.seq, link.event_id) for link in chain] == [(1, ids[0]), (2, ids[1]), (3, ids[2])]
    assert [link.prev_hash for link in chain] == [GENESIS, chain[0].hash, chain[1].hash]
    assert len({link.hash for link in chain}) == 3


def test_events_are_chained_at_commit_in_their_transactions_order(app):
    record_event(None, "first.in.transaction", object_type="system")
    record_event(None, "second.in.transaction", object_type="system")
    db.session.flush()
    assert links() == []  # not before the commit: the chain lock is taken there
    db.session.commit()
    actions = db.session.scalars(select(AuditEvent.action).join(AuditLink, AuditLink.event_id == AuditEvent.id)
                                 .order_by(AuditLink.seq)).all()
    assert actions == ["first.in.transaction", "second.in.transaction"]


def test_a_rolled_back_transaction_leaves_no_gap_even_after_chaining(app):
    committed_events(1)
    record_event(None, "abandoned", object_type="system")
    db.session.flush()
    assert extend_chain(db.session()) == 1  # chained, then the transaction fails
    db.session.rollback()
    committed_events(1, action="kept")
    assert [seq for seq, _ in links()] == [1, 2]
    assert verify_chain().intact and verify_chain().checked == 2


def test_bulk_events_are_chained_like_single_ones(app):
    users = [make_user("reviewer") for _ in range(3)]
    db.session.commit()
    before = len(links())
    record_events(None, "user.touched", [(user, {"n": n}) for n, user in enumerate(users)])
    record_event(None, "after.the.bulk", object_type="system")
    db.session.commit()
    assert len(links()) == before + 4
    verdict = verify_chain()
    assert verdict.intact and verdict.checked == before + 4


def test_an_event_in_a_rolled_back_savepoint_is_not_chained(app):
    record_event(None, "kept", object_type="system")
    with pytest.raises(RuntimeError):
        with db.session.begin_nested():
            record_event(None, "undone", object_type="system")
            db.session.flush()
            raise RuntimeError("undo the savepoint")
    db.session.commit()
    assert db.session.scalars(select(AuditEvent.action)).all() == ["kept"]
    assert verify_chain().intact and len(links()) == 1


@pytest.mark.parametrize("statement", ["UPDATE audit_chain SET hash = prev_hash", "DELETE FROM audit_chain"])
def test_the_database_refuses_to_change_or_delete_links(app, statement):
    committed_events(2)
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text(statement))
    db.session.rollback()
    assert len(links()) == 2
