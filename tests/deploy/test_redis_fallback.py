"""A configured Redis that cannot be reached: the log-in throttle counts in the database
and the rate limits in the process, rather than failing the request. Fast (no servers):
part of the normal suite; test_faults.py stops a real Redis under two real servers."""
from tests.deploy.servers import free_port
from tests.factories import PASSWORD, make_user


def _unreachable_redis() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there


def test_the_log_in_throttle_counts_in_the_database_when_redis_is_unreachable(make_app):
    url = _unreachable_redis()
    first, second = make_app(REDIS_URL=url), make_app(REDIS_URL=url)
    with first.app_context():
        email = make_user("reviewer").email
    clients = [first.test_client(), second.test_client()]
    assert clients[0].post("/api/v1/tokens", json={"email": email, "password": PASSWORD}).status_code == 201
    for attempt in range(5):
        response = clients[attempt % 2].post("/api/v1/tokens", json={"email": email, "password": "wrong"})
        assert response.status_code == 401, response.get_json()
    for client in clients:  # counted in the database both share
        response = client.post("/api/v1/tokens", json={"email": email, "password": PASSWORD})
        assert response.status_code == 429
        assert int(response.headers["Retry-After"]) > 0


def test_rate_limits_still_count_when_redis_is_unreachable(make_app):
    app = make_app(REDIS_URL=_unreachable_redis(), RATELIMIT_STORAGE_URI=_unreachable_redis())
    with app.app_context():
        client = app.test_client()
        statuses = [client.post("/api/v1/password-reset", json={"email": "someone@example.org"}).status_code
                    for _ in range(6)]
    assert statuses == [202] * 5 + [429]
