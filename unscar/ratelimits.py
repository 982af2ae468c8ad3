"""Rate limits on what an anonymous or careless client could repeat without end.

Flask-Limiter (extensions.limiter) keeps the counts: in Redis when REDIS_URL is set, so
every server process shares them, else in the process's memory. Each limit is keyed by
what it protects (an e-mail address, an organisation, a user, a browser), never by the
client's address alone: many users share one office's address. The limits themselves
are settings (config.py), generous enough for a secretariat registering hundreds of
organisations or an applicant uploading dozens of files.

When Redis cannot be reached the counts fall back to the process's memory (logged), so a
Redis outage loosens these limits to per-process ones but fails no request.

The log-in and token throttle of API.md is separate (accounts/throttle.py): it must hold
across processes without Redis, so it counts in the database.
"""
import hashlib
import logging
import math
import time

from flask import current_app, g, has_request_context
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from limits import parse
from limits.errors import StorageError
from limits.storage import MemoryStorage

from .errors import Throttled
from .extensions import limiter

log = logging.getLogger(__name__)

MESSAGES = {
    "password_reset": _l("Too many password reset requests for this address. Try again later."),
    "registration": _l("Too many registrations for this address or organisation. Try again later."),
    "uploads": _l("Too many uploads in a short time. Try again later."),
    "stash_browser": _l("Too many forms kept for this browser. Try again later."),
    "stash_all": _l("Too many forms are being kept just now. Try again later."),
}


def _digest(key: str) -> str:
    # The store (Redis) never holds addresses or names in clear.
    return hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]


def check(name: str, key: str) -> None:
    """Count one request of kind `name` for `key`; Throttled (429, Retry-After) once the
    limit in config RATELIMIT_<NAME> is spent."""
    if not limiter.enabled:
        return
    item = parse(current_app.config[f"RATELIMIT_{name.upper()}"])
    digest = _digest(key)
    try:
        _counted(limiter.limiter, item, name, digest)
    except _storage_errors() as error:
        log.warning("Rate limit store unavailable (%s); counting in this process's memory.", error)
        _counted(_memory_fallback(), item, name, digest)


def _counted(strategy, item, name: str, digest: str) -> None:
    if strategy.hit(item, "unscar", name, digest):
        return
    reset_at, _remaining = strategy.get_window_stats(item, "unscar", name, digest)
    raise Throttled(str(MESSAGES[name]), max(1, math.ceil(reset_at - time.time())))


def _storage_errors():
    import redis

    return (StorageError, redis.exceptions.RedisError, OSError)


def _memory_fallback():
    # The same strategy as the shared store's, kept per application in this process.
    fallback = current_app.extensions.get("unscar_ratelimit_fallback")
    if fallback is None:
        fallback = type(limiter.limiter)(MemoryStorage())
        current_app.extensions["unscar_ratelimit_fallback"] = fallback
    return fallback


def check_upload() -> None:
    """Count an upload for the signed-in user (web or API) making it."""
    if not has_request_context():
        return
    user = g.get("api_user") or (current_user if current_user.is_authenticated else None)
    if user is not None:
        check("uploads", f"user:{user.id}")
