"""schemathesis over GET /api/v1/openapi.json, in-process (WSGI), anonymously and as each
role (issue 11, "what must be true" 5): no answer is a server error, and every answer's
status code and body are the ones the document describes. Every operation is called in
both modes: one that schemathesis could not generate for would fail here, not vanish.

Bounded for `make test` (a few examples per operation and mode); `make fuzz` runs a
deeper pass (SCHEMATHESIS_EXAMPLES).
"""
import os

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.generation import GenerationMode

from tests.api.fuzzing import CHECKS, ROLES, Tally, api_schema, build_world, label, operations

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "2"))
MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
# Operations whose every input is valid (a path parameter that is any string): no request
# breaks their schema, so schemathesis has no negative case to make.
NOTHING_TO_NEGATE = {"GET /portfolio/projects/{reference}"}


def _exercise(operation, mode, headers, tally: Tally, failures: list[str]):
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call(headers=headers)
        tally.record(operation, response.status_code)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001  (schemathesis's FailureGroup; every operation's, not the first)
            failures.append(f"{label(operation)} [{mode.value}]: {type(error).__name__}: {str(error)[:600]}")
            raise

    try:
        run()
    except Unsatisfiable:
        failures.append(f"{label(operation)} [{mode.value}] not run: no such input")
    except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001  (checks' failures recorded above)
        if not failures or not failures[-1].startswith(f"{label(operation)} [{mode.value}]"):
            failures.append(f"{label(operation)} [{mode.value}] not run: {type(error).__name__}: {str(error)[:300]}")


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_the_api_answers_as_its_document_says_to_generated_requests(app, role):
    headers = build_world(app, role)
    schema = api_schema(app)
    failures: list[str] = []
    tallies = {mode: Tally() for mode in MODES}
    for operation in operations(schema):
        for mode in MODES:
            _exercise(operation, mode, headers, tallies[mode], failures)
    negated_nothing = {f.split(" [")[0] for f in failures if f.endswith("[negative] not run: no such input")}
    assert negated_nothing == NOTHING_TO_NEGATE
    unique = [f for f in dict.fromkeys(failures) if f.split(" [")[0] not in NOTHING_TO_NEGATE
              or not f.endswith("[negative] not run: no such input")]
    assert not unique, "\n\n".join(unique[:40])
    assert not tallies[GenerationMode.POSITIVE].never_called(schema)
    assert set(tallies[GenerationMode.NEGATIVE].never_called(schema)) == NOTHING_TO_NEGATE
