"""Log-in throttling per e-mail, shared by every server process.

After LOGIN_MAX_FAILURES failures for one address within the window, every attempt for
it is refused until the oldest counted failure leaves the window. Failures are kept in
the database, or in Redis when REDIS_URL is set. Never per client address: many users
share one office's address.
"""
import math
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select

from ..dates import utcnow
from ..extensions import db
from .models import LoginFailure


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
        clients[url] = redis.Redis.from_url(url)
    return clients[url]


def _key(email: str) -> str:
    return f"unscar:login-failures:{email}"


def seconds_locked(email: str) -> int:
    """0 when `email` may try to log in, else how many seconds it must wait."""
    limit, window = _settings()
    client = _redis()
    if client is not None:
        now = time.time()
        client.zremrangebyscore(_key(email), 0, now - window)
        stamps = client.zrange(_key(email), 0, -1, withscores=True)
        if len(stamps) < limit:
            return 0
        oldest = stamps[-limit][1]
        return max(1, math.ceil(oldest + window - now))
    since = utcnow() - timedelta(seconds=window)
    recent = db.session.scalars(
        select(LoginFailure.at).where(LoginFailure.email == email, LoginFailure.at > since)
        .order_by(LoginFailure.at.desc()).limit(limit)
    ).all()
    if len(recent) < limit:
        return 0
    return max(1, math.ceil((recent[-1] + timedelta(seconds=window) - utcnow()).total_seconds()))


def record_failure(email: str) -> None:
    """Count a failed attempt. Committed at once, whatever the request does next."""
    client = _redis()
    if client is not None:
        now = time.time()
        _, window = _settings()
        client.zadd(_key(email), {f"{now}:{id(object())}": now})
        client.expire(_key(email), window)
        return
    _, window = _settings()
    db.session.execute(delete(LoginFailure).where(
        LoginFailure.email == email, LoginFailure.at <= utcnow() - timedelta(seconds=window)))
    db.session.add(LoginFailure(email=email))
    db.session.commit()


def clear_failures(email: str) -> None:
    """A successful log-in starts the count again."""
    client = _redis()
    if client is not None:
        client.delete(_key(email))
        return
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
