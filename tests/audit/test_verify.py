"""verify-audit names the first broken link when someone with direct access to the
database edits, deletes, reorders or slips in an audit event, and passes an intact chain."""
import re

import pytest
from sqlalchemy import select

from tests.audit.tampering import attacker, committed_events, stored_event
from unscar.audit.chain import link_hash
from unscar.audit.models import AuditEvent, AuditLink
from unscar.extensions import db

INSERT_EVENT = "INSERT INTO audit_events (at, action, object_type) VALUES (CURRENT_TIMESTAMP, 'grant.forged', 'system')"


def verify(runner, *args):
    result = runner.invoke(args=["unscar", "verify-audit", *args])
    return result.exit_code, result.output


def link(seq: int) -> AuditLink:
    return db.session.get(AuditLink, seq)


def test_an_intact_chain_verifies_with_its_count_and_head(app, runner):
    ids = committed_events(5)
    code, output = verify(runner)
    assert code == 0
    head = link(5)
    assert f"Audit chain intact: 5 events. Head: 5:{head.hash}" in output
    assert [link(seq).event_id for seq in range(1, 6)] == ids


def test_an_empty_log_verifies(app, runner):
    assert verify(runner) == (0, f"Audit chain intact: 0 events. Head: 0:{'0' * 64}\n")


def test_an_edited_event_is_the_first_broken_link(app, runner):
    ids = committed_events(5)
    with attacker() as run:
        run("UPDATE audit_events SET action = 'grant.approved' WHERE id = :id", id=ids[2])
    code, output = verify(runner)
    assert code == 1
    assert f"BROKEN at link seq 3 (event id {ids[2]})" in output and "edited" in output
    assert "2 links verified before it" in output


def test_an_edited_time_or_object_is_noticed_too(app, runner):
    ids = committed_events(3)
    with attacker() as run:
        run("UPDATE audit_events SET object_id = 7 WHERE id = :id", id=ids[1])
    code, output = verify(runner)
    assert code == 1 and f"link seq 2 (event id {ids[1]})" in output


def test_a_deleted_event_and_its_link_leave_a_gap(app, runner):
    ids = committed_events(5)
    with attacker() as run:
        run("DELETE FROM audit_chain WHERE event_id = :id", id=ids[1])
        run("DELETE FROM audit_events WHERE id = :id", id=ids[1])
    code, output = verify(runner)
    assert code == 1
    assert f"BROKEN at link seq 3 (event id {ids[2]}): seq 2 is missing" in output and "deleted" in output


def test_a_deleted_event_whose_link_stays_is_named(app, runner):
    ids = committed_events(4)
    with attacker() as run:
        run("DELETE FROM audit_events WHERE id = :id", id=ids[3])
    code, output = verify(runner)
    assert code == 1
    assert f"BROKEN at link seq 4 (event id {ids[3]}): the linked event is gone: deleted" in output


def test_a_deleted_tail_is_caught_only_against_a_recorded_head(app, runner):
    """The limit of any hash chain: cutting off the newest links leaves a shorter, intact
    chain. A head recorded outside the database (--expect-head) still catches it."""
    ids = committed_events(4)
    recorded = f"4:{link(4).hash}"
    with attacker() as run:
        run("DELETE FROM audit_chain WHERE seq = 4")
        run("DELETE FROM audit_events WHERE id = :id", id=ids[3])
    assert verify(runner)[0] == 0
    code, output = verify(runner, "--expect-head", recorded)
    assert code == 1 and "tail was cut off" in output


def test_a_rewritten_history_is_caught_against_a_recorded_head(app, runner):
    """An attacker who edits an event and recomputes every hash after it makes a chain that
    verifies on its own; the recorded head no longer matches."""
    ids = committed_events(3)
    recorded = f"3:{link(3).hash}"
    assert verify(runner, "--expect-head", recorded)[0] == 0
    with attacker() as run:
        run("UPDATE audit_events SET action = 'grant.approved' WHERE id = :id", id=ids[0])
    prev = "0" * 64
    rewritten = []
    for seq, event_id in enumerate(ids, start=1):
        digest = link_hash(stored_event(event_id), seq, prev)
        rewritten.append((seq, prev, digest))
        prev = digest
    with attacker() as run:
        for seq, prev_hash, digest in rewritten:
            run("UPDATE audit_chain SET prev_hash = :p, hash = :h WHERE seq = :s", p=prev_hash, h=digest, s=seq)
    assert verify(runner)[0] == 0
    code, output = verify(runner, "--expect-head", recorded)
    assert code == 1 and "BROKEN at link seq 3" in output and "rewritten" in output


def test_an_event_inserted_directly_is_in_no_link(app, runner):
    committed_events(3)
    with attacker() as run:
        run(INSERT_EVENT)
    forged = db.session.scalar(select(db.func.max(AuditLink.event_id))) + 1
    code, output = verify(runner)
    assert code == 1
    assert f"BROKEN at no link (event id {forged}): the event is in no link of the chain" in output
    assert "3 links verified" in output


def test_an_event_spliced_in_out_of_order_breaks_the_prev_hash(app, runner):
    """A forged event chained after the first one, as if it had happened then: its own hash
    is right, but the link before it in seq order is not the one it names."""
    committed_events(3)
    with attacker() as run:
        run(INSERT_EVENT)
    forged = db.session.scalar(select(db.func.max(AuditLink.event_id))) + 1
    after_first = link(1).hash
    digest = link_hash(stored_event(forged), 4, after_first)
    with attacker() as run:
        run("INSERT INTO audit_chain (seq, event_id, prev_hash, hash) VALUES (4, :e, :p, :h)",
            e=forged, p=after_first, h=digest)
    code, output = verify(runner)
    assert code == 1
    assert f"BROKEN at link seq 4 (event id {forged}): prev_hash is not the hash of the link before" in output


def test_reordered_events_are_the_first_broken_link(app, runner):
    ids = committed_events(4)
    with attacker() as run:  # events 2 and 3 swap places in the chain
        run("UPDATE audit_chain SET event_id = -1 WHERE seq = 2")
        run("UPDATE audit_chain SET event_id = :e WHERE seq = 3", e=ids[1])
        run("UPDATE audit_chain SET event_id = :e WHERE seq = 2", e=ids[2])
    code, output = verify(runner)
    assert code == 1 and f"BROKEN at link seq 2 (event id {ids[2]})" in output


def test_reordered_links_break_the_prev_hash(app, runner):
    committed_events(4)
    with attacker() as run:  # links 2 and 3 swap seq numbers
        run("UPDATE audit_chain SET seq = -2 WHERE seq = 2")
        run("UPDATE audit_chain SET seq = 2 WHERE seq = 3")
        run("UPDATE audit_chain SET seq = 3 WHERE seq = -2")
    code, output = verify(runner)
    assert code == 1 and "BROKEN at link seq 2" in output and "prev_hash" in output


@pytest.mark.parametrize("head", ["3", "x:" + "a" * 64, "0:" + "a" * 64, "3:abc"])
def test_a_malformed_expected_head_is_refused_clearly(app, runner, head):
    code, output = verify(runner, "--expect-head", head)
    assert code == 2 and "SEQ:HASH" in output


def test_the_demo_leaves_an_intact_chain(app, runner):
    assert runner.invoke(args=["unscar", "demo"]).exit_code == 0
    code, output = verify(runner)
    assert code == 0
    count = int(re.search(r"intact: (\d+) events", output).group(1))
    events = db.session.scalar(select(db.func.count()).select_from(AuditEvent))
    assert count == events > 100
