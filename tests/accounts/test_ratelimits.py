"""Issue 11, finding 9: log-in takes as long for an unknown address as for a known one,
and password resets, registrations and uploads are rate-limited (Flask-Limiter), keyed
by what they protect, never by the client's address alone."""
import io
import uuid

import pytest

from tests import files
from tests.factories import CallFactory, make_user
from tests.helpers import bearer, post_form, web_login
from tests.bodies import proposal_json
from unscar.accounts import services
from unscar.extensions import limiter


def test_an_unknown_address_costs_the_same_password_check_as_a_known_one(client, monkeypatch):
    checked = []
    real = services.check_password_hash
    monkeypatch.setattr(services, "check_password_hash", lambda *a: checked.append(a) or real(*a))
    make_user("reviewer", email="known@example.org")

    for email in ("known@example.org", "nobody@example.org"):
        assert client.post("/api/v1/tokens", json={"email": email, "password": "wrong"}).status_code == 401

    assert len(checked) == 2
    # The stand-in hash is made like real ones, so it costs as much to check.
    assert checked[1][0].split("$")[0] == checked[0][0].split("$")[0]


def test_password_reset_requests_are_limited_per_address_with_retry_after(client):
    for _ in range(5):
        assert client.post("/api/v1/password-reset", json={"email": "Someone@example.org"}).status_code == 202

    response = client.post("/api/v1/password-reset", json={"email": "someone@example.org"})

    assert response.status_code == 429 and response.mimetype == "application/problem+json"
    assert 0 < int(response.headers["Retry-After"]) <= 3600
    # Another address from the same client is not held up.
    assert client.post("/api/v1/password-reset", json={"email": "other@example.org"}).status_code == 202


def test_the_reset_page_says_when_to_try_again(client):
    for _ in range(5):
        post_form(client, "/password/reset", {"email": "someone@example.org"})

    response = post_form(client, "/password/reset", {"email": "someone@example.org"})

    assert response.status_code == 429 and "Retry-After" in response.headers
    assert "Too many password reset requests" in response.get_data(as_text=True)


def _registration(email: str, organisation: str) -> dict:
    return {"organisation": {"name": organisation, "type": "ngo", "country": "KEN"},
            "user": {"email": email, "password": "a-long-password", "name": "Ann"}}


def test_registrations_are_limited_per_organisation_not_per_client(client):
    for n in range(10):
        assert client.post("/api/v1/register", json=_registration(f"u{n}@example.org", "Same Org")).status_code == 201

    response = client.post("/api/v1/register", json=_registration("u10@example.org", "same org"))

    assert response.status_code == 429 and "Retry-After" in response.headers
    # A secretariat registering many organisations from one office is not held up.
    for n in range(30):
        assert client.post("/api/v1/register", json=_registration(f"o{n}@example.org", f"Org {n}")).status_code == 201


def test_uploads_are_limited_per_user(app, client):
    app.config["RATELIMIT_UPLOADS"] = "2 per hour"
    owner = make_user("applicant")
    headers = bearer(client, owner)
    draft = client.post(f"/api/v1/calls/{CallFactory().id}/proposals", json=proposal_json(), headers=headers).get_json()

    def upload(headers, n):
        # A different file each time: the same bytes twice are one attachment (answered 200).
        return client.post(f"/api/v1/proposals/{draft['id']}/attachments", headers=headers,
                           data={"file": (io.BytesIO(files.pdf_bytes(f"plan {n}")), f"plan-{n}.pdf")},
                           content_type="multipart/form-data")

    assert [upload(headers, n).status_code for n in range(3)] == [201, 201, 429]

    colleague = make_user("applicant", organisation=owner.organisation)
    assert upload(bearer(client, colleague), 9).status_code == 201
    # The web pages count in the same way and say so.
    web_login(client, owner.email)
    response = post_form(client, "/organisation/documents", {"file": (io.BytesIO(files.pdf_bytes()), "r.pdf")},
                         page="/organisation", follow_redirects=True)
    assert "Too many uploads" in response.get_data(as_text=True)


def test_the_default_limits_leave_room_for_dozens_of_files(app):
    from limits import parse

    assert parse(app.config["RATELIMIT_UPLOADS"]).amount >= 100


def test_limits_are_counted_in_redis_when_it_is_configured(make_app):
    redis = pytest.importorskip("redis")
    url = "redis://127.0.0.1:6379/15"
    email = f"{uuid.uuid4().hex}@example.org"  # the database may be shared: touch only our keys
    try:
        redis.Redis.from_url(url).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    make_app(REDIS_URL=url)
    assert type(limiter.storage).__name__ == "RedisStorage"
    second = make_app(REDIS_URL=url)
    with second.app_context():
        client = second.test_client()
        statuses = [client.post("/api/v1/password-reset", json={"email": email}).status_code
                    for _ in range(6)]
    assert statuses == [202] * 5 + [429]
    assert redis.Redis.from_url(url).keys("*unscar*password_reset*")
