"""Log-in throttling per e-mail, shared by every server process (API.md "POST /tokens")."""
from datetime import timedelta

import pytest

from tests.factories import PASSWORD, make_user
from tests.helpers import csrf_from
from unscar.dates import freeze_clock, utcnow


@pytest.fixture
def clock():
    freeze_clock(utcnow())
    yield lambda seconds: freeze_clock(utcnow() + timedelta(seconds=seconds))
    freeze_clock(None)


def _api_login(client, email, password):
    return client.post("/api/v1/tokens", json={"email": email, "password": password})


def _web_login(client, email, password):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def test_the_sixth_failure_is_429_from_either_of_two_instances(app, make_app):
    user = make_user("reviewer")
    second = make_app()  # another server process on the same database
    clients = [app.test_client(), second.test_client()]
    for attempt in range(5):
        assert _api_login(clients[attempt % 2], user.email, "wrong").status_code == 401
    for client in clients:
        response = _api_login(client, user.email, PASSWORD)
        assert response.status_code == 429
        assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
        assert response.mimetype == "application/problem+json"


def test_web_and_api_share_the_count(client):
    user = make_user("donor")
    for _ in range(3):
        assert _web_login(client, user.email, "wrong").status_code == 200
    for _ in range(2):
        assert _api_login(client, user.email.upper(), "wrong").status_code == 401
    response = _web_login(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.get_data(as_text=True)
    assert response.headers["Retry-After"]


def test_the_lock_lifts_after_fifteen_minutes(client, clock):
    user = make_user("donor")
    for _ in range(5):
        _api_login(client, user.email, "wrong")
    assert _api_login(client, user.email, PASSWORD).status_code == 429
    clock(15 * 60 + 1)
    assert _api_login(client, user.email, PASSWORD).status_code == 201


def test_throttling_is_per_email_not_per_address(client):
    victim, colleague = make_user("reviewer"), make_user("reviewer")
    for _ in range(6):
        _api_login(client, victim.email, "wrong")
    assert _api_login(client, colleague.email, PASSWORD).status_code == 201


def test_a_success_resets_the_count(client):
    user = make_user("reviewer")
    for _ in range(4):
        _api_login(client, user.email, "wrong")
    assert _api_login(client, user.email, PASSWORD).status_code == 201
    for _ in range(4):
        _api_login(client, user.email, "wrong")
    assert _api_login(client, user.email, PASSWORD).status_code == 201


def test_unknown_addresses_are_throttled_too(client):
    for _ in range(5):
        assert _api_login(client, "ghost@example.org", "x").status_code == 401
    assert _api_login(client, "ghost@example.org", "x").status_code == 429


def test_redis_shares_the_count_when_configured(make_app):
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    first = make_app(REDIS_URL="redis://127.0.0.1:6379/15")
    second = make_app(REDIS_URL="redis://127.0.0.1:6379/15")
    with first.app_context():
        user = make_user("reviewer")
        email = user.email
    redis.Redis.from_url("redis://127.0.0.1:6379/15").delete(f"unscar:login-failures:{email}")
    for attempt in range(5):
        client = (first if attempt % 2 else second).test_client()
        assert _api_login(client, email, "wrong").status_code == 401
    assert _api_login(second.test_client(), email, PASSWORD).status_code == 429
    assert _api_login(first.test_client(), email, PASSWORD).status_code == 429
