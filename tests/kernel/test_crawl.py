"""Every page route of the URL map, crawled with hostile path and query values as each
role and anonymously (issue 11, "what must be true" 5): no answer is a server error.

The routes come from app.url_map, so a page added later is crawled without a change
here. The API has its own crawl in test_api_fuzz.py (schemathesis, from the OpenAPI
document). CSRF is off so that posts reach the views' own checks.
"""
import re

import pytest

from tests.factories import PASSWORD, CallFactory, make_user

HUGE = str(2**63)
LONG = "x" * 3000
# Percent-encoded: NUL, a lone surrogate as (invalid) UTF-8, a control character.
HOSTILE_SEGMENTS = [HUGE, "-1", "abc", "%00", "%ED%A0%80", "\uff11", LONG]
HOSTILE_QUERIES = [
    f"page={HUGE}&per_page={HUGE}&call_id={HUGE}&object_id={HUGE}&id={HUGE}",
    "page=-1&call_id=abc&status=%00&q=%00&object_type=%00&action=%ED%A0%80&sort=%00&dir=x",
    f"page=1e400&call_id=-1&status={LONG}&q={LONG}&next=%00&restore=%00&theme=%00&organisation_type=%00",
]
HOSTILE_FORM = {
    "title": "T\x00", "name": "\x00", "email": "a\x00@example.org", "password": "\x00" * 12,
    "reason": "\x00", "comment": LONG * 10, "question": "\x00", "answer": "\x00", "decision": "\x00",
    "status": "\x00", "reviewer_id": HUGE, "proposal_id": HUGE, "reviewer_ids": [HUGE, "abc"],
    "call_id": HUGE, "organisation_id": HUGE, "envelope_usd": "1e400", "min_score": "1e400",
    "weight": "1e400", "indirect_cap_pct": "1e308", "quantity": "1e400", "year": HUGE,
    "lines-0-quantity": "1e400", "lines-0-unit_cost_usd": "١٠٠٠", "lines-0-year": HUGE,
    "lines-0-description": "\x00", "criteria-0-weight": "1e400", "criteria-0-name": "\x00",
    "scores-1": HUGE, "score": HUGE, "then": "\x00", "next": "\x00", "accept": "y",
}
ROLES = [None, "applicant", "reviewer", "secretariat", "donor", "admin"]
SKIPPED = {"static", "accounts.logout"}  # logging out would end the crawl's own session


def _page_rules(app):
    return [rule for rule in app.url_map.iter_rules()
            if rule.endpoint not in SKIPPED and not rule.rule.startswith("/api/")]


def _urls(rule) -> list[str]:
    """The rule with each argument in turn hostile (the others 1), plus one of each query."""
    arguments = sorted(rule.arguments)
    if not arguments:
        paths = [rule.rule]
    else:
        paths = []
        for hostile in arguments:
            for value in HOSTILE_SEGMENTS:
                values = {name: (value if name == hostile else "1") for name in arguments}
                paths.append(_fill(rule, values))
    return paths + [f"{_fill(rule, dict.fromkeys(arguments, '1'))}?{query}" for query in HOSTILE_QUERIES]


def _fill(rule, values: dict) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", lambda match: values[match.group(1)], rule.rule)


@pytest.fixture
def crawl_app(make_app):
    from tests.conftest import _end_request_transaction, _forget_previous_request
    from unscar.extensions import db

    app = make_app(WTF_CSRF_ENABLED=False)
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_previous_request)
    app.teardown_request(_end_request_transaction)
    with app.app_context():
        yield app
        db.session.rollback()


@pytest.mark.parametrize("role", ROLES, ids=lambda role: role or "anonymous")
def test_no_page_answers_a_server_error_to_hostile_values(crawl_app, role):
    CallFactory()
    client = crawl_app.test_client()
    if role:
        user = make_user(role)
        assert client.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    failures = []
    for rule in _page_rules(crawl_app):
        methods = [m for m in ("GET", "POST") if m in rule.methods]
        for url in _urls(rule):
            for method in methods:
                try:
                    status = client.open(url, method=method, data=HOSTILE_FORM if method == "POST" else None)\
                        .status_code
                except Exception as error:  # noqa: BLE001  (the testing app lets errors propagate)
                    failures.append(f"{method} {url[:120]}: {type(error).__name__}: {str(error)[:160]}")
                    continue
                if status >= 500:
                    failures.append(f"{method} {url[:120]}: {status}")
    assert not failures, "\n".join(failures[:40])
