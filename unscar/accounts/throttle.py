"""Log-in throttling per e-mail, shared by every server process.

After LOGIN_MAX_FAILURES failures for one address within the window, every attempt for
it is refused until the oldest counted failure leaves the window. Failures are kept in
the database, or in Redis when REDIS_URL is set. Never per client address: many users
share one office's address.

When Redis cannot be reached, the database counts instead (logged), so a Redis outage
neither fails log-ins nor lifts the throttle; failures counted in Redis before the outage
are not seen by the database, so an address may get up to twice the limit across one.
"""
import logging
import math
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from ..dates import utcnow
from ..extensions import db
from .models import LoginFailure

log = logging.getLogger(__name__)


def _settings():
    config = current_app.config
    return config["LOGIN_MAX_FAILURES"], config["LOGIN_FAILURE_WINDOW_SECONDS"]


def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    import redis

    clients = current_app.extensions.setdefault("unscar_redis", {})
    if url not in clients:
        # Short timeouts: a log-in must not hang on a Redis that is away.
        clients[url] = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    return clients[url]


def _redis_failed(error: Exception) -> None:
    log.warning("Redis unavailable for the log-in throttle (%s); counting in the database.", error)


def _key(email: str) -> str:
    return f"unscar:login-failures:{email}"


def seconds_locked(email: str) -> int:
    """0 when `email` may try to log in, else how many seconds it must wait."""
    limit, window = _settings()
    client = _redis()
    if client is not None:
        try:
            return _redis_seconds_locked(client, email, limit, window)
        except _redis_errors() as error:
            _redis_failed(error)
    since = utcnow() - timedelta(seconds=window)
    recent = db.session.scalars(
        select(LoginFailure.at).where(LoginFailure.email == email, LoginFailure.at > since)
        .order_by(LoginFailure.at.desc()).limit(limit)
    ).all()
    if len(recent) < limit:
        return 0
    return max(1, math.ceil((recent[-1] + timedelta(seconds=window) - utcnow()).total_seconds()))


def _redis_seconds_locked(client, email: str, limit: int, window: int) -> int:
    now = time.time()
    client.zremrangebyscore(_key(email), 0, now - window)
    stamps = client.zrange(_key(email), 0, -1, withscores=True)
    if len(stamps) < limit:
        return 0
    oldest = stamps[-limit][1]
    return max(1, math.ceil(oldest + window - now))


def _redis_errors():
    import redis

    return (redis.exceptions.RedisError, OSError)


def record_failure(email: str) -> None:
    """Count a failed attempt. Committed at once, whatever the request does next."""
    client = _redis()
    _, window = _settings()
    if client is not None:
        now = time.time()
        try:
            client.zadd(_key(email), {f"{now}:{id(object())}": now})
            client.expire(_key(email), window)
            return
        except _redis_errors() as error:
            _redis_failed(error)
    db.session.execute(delete(LoginFailure).where(
        LoginFailure.email == email, LoginFailure.at <= utcnow() - timedelta(seconds=window)))
    db.session.add(LoginFailure(email=email))
    db.session.commit()


def clear_failures(email: str) -> None:
    """A successful log-in starts the count again."""
    client = _redis()
    if client is not None:
        try:
            client.delete(_key(email))
        except _redis_errors() as error:
            _redis_failed(error)
    # Also any counted in the database while Redis was away.
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
