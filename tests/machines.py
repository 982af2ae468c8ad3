"""What the life-cycle state machines share (tests/*/test_*_machine.py).

Each machine drives the real service functions inside one transaction that its teardown
rolls back, so every example starts from the same committed world. Each step runs in a
savepoint: a refused step is checked to have changed nothing and written no audit event,
then its savepoint is rolled back, as a refused request's transaction is.

FUZZ_DEPTH (default 1) multiplies the examples (and, from 2 on, doubles the steps);
`make fuzz` sets it.
"""
import os
from contextlib import contextmanager

from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import run_state_machine_as_test
from sqlalchemy import func, select

from unscar.audit.models import AuditEvent
from unscar.errors import DomainError
from unscar.extensions import db

DEPTH = int(os.environ.get("FUZZ_DEPTH", "1"))


def run(machine, examples: int, steps: int, wanted=frozenset(), rounds: int = 4) -> None:
    """Run `machine`. Which paths a random walk takes is chance, so when some of `wanted`
    (the transitions and refusals the test requires to have been checked) are not yet in
    `machine.reached`, run again with fresh draws, up to `rounds` times in all; a path never
    reached then fails the test's own assertion."""
    for round_ in range(rounds):
        # No shrinking: it would replay hundreds of sequences against the database; a failure
        # prints its steps as generated.
        run_state_machine_as_test(machine, settings=settings(
            max_examples=examples * DEPTH, stateful_step_count=steps * min(DEPTH, 2), deadline=None, database=None,
            # The bounded run's first round is the same every time; the deep run explores.
            derandomize=DEPTH == 1 and round_ == 0,
            phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck)))
        if not wanted or wanted <= machine.reached:
            return


def audit_events(action_prefix: str = "") -> list[tuple[str, int | None]]:
    db.session.flush()
    return list(db.session.execute(select(AuditEvent.action, AuditEvent.object_id)
                                   .where(AuditEvent.action.startswith(action_prefix))
                                   .order_by(AuditEvent.id)).tuples())


def audit_count() -> int:
    db.session.flush()
    return db.session.scalar(select(func.count()).select_from(AuditEvent))


@contextmanager
def attempt(snapshot, refused: type[DomainError] | tuple = DomainError, half_done=()):
    """Run the block in a savepoint. Yields a list that holds the refusal, if any: a refused
    block must leave `snapshot()` and the audit log as they were, checked before the
    savepoint is rolled back, so a half-made change is caught, not hidden. A refusal of a
    type in `half_done` is checked after the rollback: its service refuses after writing
    (its caller's rollback undoes it)."""
    before, events = snapshot(), audit_count()
    outcome: list = []
    savepoint = db.session.begin_nested()
    try:
        yield outcome
    except refused as error:
        outcome.append(error)
        if isinstance(error, half_done):
            savepoint.rollback()
        assert snapshot() == before, f"refused ({error}) but changed: {before} -> {snapshot()}"
        assert audit_count() == events, f"refused ({error}) but audited"
        if savepoint.is_active:
            savepoint.rollback()
    else:
        savepoint.commit()
