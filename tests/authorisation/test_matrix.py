"""Every route of the URL map, as anonymous and each role, on its own side's object, on
another's, on a missing one (and, where it matters, on its organisation's draft and on a
call still open), against the matrix (matrix.py): allowed, 403 before any look-up, 404
for what the role may not see. A refused request changes nothing in the database."""
import pytest

from tests.authorisation.matrix import MATRIX, ROLES
from tests.authorisation.urls import fill, variants

IGNORED_METHODS = {"HEAD", "OPTIONS"}  # answered by Flask for every GET route


def routes(app) -> set[str]:
    return {f"{rule.endpoint} {method}" for rule in app.url_map.iter_rules()
            for method in rule.methods - IGNORED_METHODS}


def test_every_route_has_an_entry(matrix_app):
    in_map = routes(matrix_app)
    missing, stale = sorted(in_map - MATRIX.keys()), sorted(MATRIX.keys() - in_map)
    assert not missing, f"routes without an entry in tests/authorisation/matrix.py: {missing}"
    assert not stale, f"entries for routes that no longer exist: {stale}"


def expected(access, role, variant: str, api: bool):
    """'allow', 'login', or the status the case must answer."""
    if role is None:
        if not access.anonymous:
            return 401 if api else "login"
        return 404 if variant == "missing" else "allow"
    if role in access.allowed:
        if variant == "open_call" and role in access.from_review:
            return 404
        if variant == "draft" and role == "donor":
            return 404  # donors never see drafts (DESIGN.md's visibility table)
        return 404 if variant == "missing" else "allow"
    if role in access.own:
        # A draft is its organisation's own; no reviewer is ever assigned to one.
        return "allow" if variant == "own" or (variant == "draft" and role == "applicant") else 404
    if role in access.hidden:
        return 404
    return 403


def verdict(response, want, api: bool) -> str | None:
    """What is wrong with the answer, or None."""
    status, location = response.status_code, response.headers.get("Location", "")
    to_login = status in (301, 302, 303) and "/login" in location
    if api and status >= 400 and response.mimetype != "application/problem+json":
        return f"{status} as {response.mimetype}, not application/problem+json"
    if want == "login":
        return None if to_login else f"{status}, not the log-in page"
    if want == "allow":
        if status >= 500 or status in (401, 403, 404) or to_login:
            return f"{status} {location}".strip() + ", not allowed"
        return None
    return None if status == want else f"{status}, not {want}"


def queries(world) -> dict:
    """Routes that name their object in the query string rather than the path."""
    return {"proposals.create": f"?call_id={world.call_id}"}


@pytest.mark.parametrize("route", sorted(MATRIX))
def test_route_answers_each_role_as_the_matrix_says(matrix, matrix_app, route):
    world, visitors, snapshot = matrix
    endpoint, method = route.split(" ")
    rule = next(r for r in matrix_app.url_map.iter_rules() if r.endpoint == endpoint and method in r.methods)
    access = MATRIX[route]
    api = rule.rule.startswith("/api/") or access.json
    failures = []
    for role in (None, *ROLES):
        seen = set()
        for variant in variants(rule, access):
            url = fill(rule, world, variant) + queries(world).get(endpoint, "")
            if url not in seen:  # a route naming no side's object (a call, a donor) is tried once
                seen.add(url)
                want = expected(access, role, variant, api)
                wrong = _try(visitors[role], snapshot, url, method, want, api)
                failures += [f"{role or 'anonymous'} on {variant} ({url}): {what}" for what in wrong]
    assert not failures, f"{route}: " + "\n".join(failures)


def _try(visitor, snapshot, url: str, method: str, want, api: bool) -> list[str]:
    """One request: what is wrong with its answer, and whether a refusal changed the
    database; the world is put back after any change."""
    response = visitor.open(url, method)
    wrong = [what for what in [verdict(response, want, api)] if what]
    if method == "GET":
        return wrong
    if want == "allow" and response.status_code < 400:
        snapshot.restore()  # even a change the fingerprint cannot see, such as an edited field
    elif snapshot.changed():
        if want != "allow":
            wrong.append(f"refused with {response.status_code} but changed the database")
        snapshot.restore()
    return wrong
