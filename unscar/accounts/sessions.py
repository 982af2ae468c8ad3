"""Server-side record of signed-in browsers, and ending sessions and tokens for good.

Flask's session is a signed cookie held by the browser: clearing it at log-out does not
stop a copy of the old cookie from working. So each sign-in gets a random id, kept in
the cookie and (hashed) in user_sessions; the user loader accepts a cookie only while
its row is live. Log-out ends that row; a password change ends the user's other rows
and revokes its API tokens; deactivation ends every row and token at once.
"""
import hashlib
import secrets

from flask import has_request_context, session
from flask_login import login_user, logout_user
from sqlalchemy import select, update

from ..dates import utcnow
from ..extensions import db
from .models import ApiToken, User, UserSession

SESSION_KEY = "_sid"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign_in(user: User) -> None:
    """Sign `user` in on this browser with a new server-side session; the caller commits."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, token_hash=_hash(token)))
    session[SESSION_KEY] = token
    login_user(user)


def sign_out() -> None:
    """End this browser's session for good (a replayed cookie is refused); the caller commits."""
    token = session.pop(SESSION_KEY, None)
    if token:
        db.session.execute(update(UserSession).where(UserSession.token_hash == _hash(token),
                                                     UserSession.ended_at.is_(None))
                           .values(ended_at=utcnow()))
    logout_user()


def current_session_hash() -> str | None:
    """The hash of this browser's session id, to spare it when ending the others."""
    token = session.get(SESSION_KEY) if has_request_context() else None
    return _hash(token) if token else None


def end_sessions_and_tokens(user: User, keep_session_hash: str | None = None) -> int:
    """End every live session of `user` (but `keep_session_hash`) and revoke its API
    tokens; how many were ended. In the caller's transaction."""
    now = utcnow()
    ended = db.session.execute(
        update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None),
                                  UserSession.token_hash != (keep_session_hash or ""))
        .values(ended_at=now)).rowcount
    revoked = db.session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)).rowcount
    return ended + revoked


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader: the user of a live session of this browser, else None."""
    token = session.get(SESSION_KEY)
    if not token or not user_id.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active:
        return None
    live = db.session.scalar(select(UserSession.id).where(
        UserSession.token_hash == _hash(token), UserSession.user_id == user.id,
        UserSession.ended_at.is_(None)))
    return user if live is not None else None
