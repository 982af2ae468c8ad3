"""schemathesis's stateful phase: sequences of calls that feed each answer's ids into the
next request (the links schemathesis infers from the document: a list or a creation
answers an id that another operation's path takes; about a thousand of them), anonymously
and as each role. No answer is a server error or breaks the document.

Bounded and the same every time for `make test`; `make fuzz` (FUZZ_DEPTH) runs longer
scenarios, more of them, from a random seed.
"""
import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import Flaky

from tests.api.fuzzing import CHECKS, DEPTH, ROLES, Tally, api_schema, build_world

SCENARIOS = 10 * DEPTH
STEPS = 6 * DEPTH


def _machine(schema, headers: dict, tally: Tally, failures: list[str]):
    base = schema.as_state_machine()

    class Machine(base):
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def call(self, case, **kwargs):
            try:
                return super().call(case, **kwargs)
            except Exception as error:  # the testing app raises what a server would answer 500 for
                failures.append(f"{case.operation.method.upper()} {case.operation.path}: {error!r}"[:800])
                raise

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            tally.record(case.operation, response.status_code)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001  (schemathesis's FailureGroup)
                failures.append(f"{case.operation.method.upper()} {case.operation.path}: {str(error)[:800]}")
                raise

    return Machine


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_chained_requests_answer_as_the_document_says(app, role):
    headers = build_world(app, role)
    schema = api_schema(app)
    tally, failures = Tally(), []
    try:
        _machine(schema, headers, tally, failures).run(settings=settings(
            max_examples=SCENARIOS, stateful_step_count=STEPS, deadline=None, database=None,
            derandomize=DEPTH == 1, phases=[Phase.generate], suppress_health_check=list(HealthCheck)))
    except Flaky:
        # The database outlives each scenario, so a replayed scenario may be answered
        # differently and hypothesis gives up replaying it; schemathesis's own runner ends
        # the run the same way. What counts is the checks' failures, recorded as they happen.
        pass
    assert not failures, "\n\n".join(dict.fromkeys(failures))
    calls = sum(len(codes) for codes in tally.statuses.values())
    assert calls >= SCENARIOS  # the machine ran: at least one call per scenario
    assert tally.succeeded()  # and reached at least one success, not only refusals
