"""schemathesis's stateful phase: sequences of calls that feed each answer's ids into the
next request (the links schemathesis infers from the document: a list or a creation
answers an id that another operation's path takes; about a thousand of them), anonymously
and as each role. No answer is a server error or breaks the document.

Bounded and the same every time for `make test`; `make fuzz` (FUZZ_DEPTH) runs longer
scenarios, more of them, from a random seed.
"""
import pytest
from hypothesis import HealthCheck, Phase, settings

from tests.api.fuzzing import CHECKS, DEPTH, ROLES, Tally, api_schema, build_world

SCENARIOS = 10 * DEPTH
STEPS = 6 * DEPTH


def _machine(schema, headers: dict, tally: Tally):
    base = schema.as_state_machine()

    class Machine(base):
        def get_call_kwargs(self, case):
            return {"headers": headers}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            tally.record(case.operation, response.status_code)
            case.validate_response(response, checks=CHECKS, headers=headers)

    return Machine


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_chained_requests_answer_as_the_document_says(app, role):
    headers = build_world(app, role)
    schema = api_schema(app)
    tally = Tally()
    _machine(schema, headers, tally).run(settings=settings(
        max_examples=SCENARIOS, stateful_step_count=STEPS, deadline=None, database=None, derandomize=DEPTH == 1,
        phases=[Phase.generate], suppress_health_check=list(HealthCheck)))
    calls = sum(len(codes) for codes in tally.statuses.values())
    assert calls >= SCENARIOS  # the machine ran: at least one call per scenario
    assert tally.succeeded()  # and reached at least one success, not only refusals
