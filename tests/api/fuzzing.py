"""What the API fuzz tests share: the roles, the checks, a small world of real objects for
the generated requests to reach, and a tally of what every operation answered.

FUZZ_DEPTH (default 1) multiplies every budget of examples and steps; `make fuzz` sets it.
"""
import os
from collections import defaultdict

import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from tests.factories import AssignmentFactory, CallFactory, ProposalFactory, make_user
from tests.grants.given import approved_grant, grantee
from tests.helpers import api_token
from unscar.extensions import db

DEPTH = int(os.environ.get("FUZZ_DEPTH", "1"))
ROLES = [None, "applicant", "reviewer", "secretariat", "donor", "admin"]
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
# Calls that end the run's own credentials, so every later request would answer 401.
SKIPPED = {("DELETE", "/api/v1/tokens/current")}


def api_schema(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return schema.exclude(func=lambda ctx: (ctx.operation.method.upper(), ctx.operation.path) in SKIPPED)


def operations(schema) -> list:
    return [result.ok() for result in schema.get_all_operations()]


def label(operation) -> str:
    return f"{operation.method.upper()} {operation.path}"


def build_world(app, role: str | None) -> dict:
    """An open call, a draft, a proposal under review with an assigned reviewer and a grant,
    so that lists answer with real ids the stateful phase follows; the role's user is the
    grantee, the assigned reviewer or a plain user of the role. Returns the request headers."""
    grant, _staff = approved_grant()
    CallFactory()
    ProposalFactory(owner=grantee(grant), call=CallFactory(), with_budget=True)
    reviewer = make_user("reviewer")
    AssignmentFactory(reviewer=reviewer, declared=True)
    db.session.commit()
    if role is None:
        return {}
    user = {"applicant": grantee(grant), "reviewer": reviewer}.get(role) or make_user(role)
    return {"Authorization": f"Bearer {api_token(app.test_client(), user.email)}"}


class Tally:
    """The statuses each operation answered, by operation label, to show that none was
    skipped and how many reached a success."""

    def __init__(self):
        self.statuses: dict[str, list[int]] = defaultdict(list)

    def record(self, operation, status: int) -> None:
        self.statuses[label(operation)].append(status)

    def never_called(self, schema) -> list[str]:
        return sorted(label(op) for op in operations(schema) if not self.statuses.get(label(op)))

    def succeeded(self) -> set[str]:
        return {name for name, codes in self.statuses.items() if any(200 <= c < 300 for c in codes)}
