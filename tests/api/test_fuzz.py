"""schemathesis over GET /api/v1/openapi.json, in-process (WSGI), anonymously and as each
role (issue 11, "what must be true" 5): no answer is a server error, and every answer's
status code and body are the ones the document describes.

Bounded for `make test` (a few examples per operation and mode); SCHEMATHESIS_EXAMPLES=500
runs a deeper pass.
"""
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.factories import CallFactory, make_user
from tests.helpers import api_token

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "2"))
ROLES = [None, "applicant", "reviewer", "secretariat", "donor", "admin"]
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Calls that end the run's own credentials, or send no JSON answer to check.
SKIPPED = {("DELETE", "/api/v1/tokens/current")}


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    for result in schema.get_all_operations():
        operation = result.ok()
        if (operation.method.upper(), operation.path) not in SKIPPED:
            yield operation


def _exercise(operation, mode, headers, failures):
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except (Exception, BaseExceptionGroup) as error:  # noqa: BLE001  (schemathesis's FailureGroup; every operation's, not the first)
            failures.append(f"{operation.method.upper()} {operation.path} [{mode.value}]: "
                            f"{type(error).__name__}: {str(error)[:600]}")
            raise

    try:
        run()
    except (Exception, BaseExceptionGroup):  # noqa: BLE001  (recorded above)
        pass


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_the_api_answers_as_its_document_says_to_generated_requests(app, role):
    CallFactory()
    headers = {}
    if role:
        client = app.test_client()
        headers = {"Authorization": f"Bearer {api_token(client, make_user(role).email)}"}
    failures: list[str] = []
    for operation in _operations(app):
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _exercise(operation, mode, headers, failures)
    unique = list(dict.fromkeys(failures))
    assert not unique, "\n\n".join(unique[:15])
