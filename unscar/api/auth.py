"""Bearer-token authentication and role checks for /api/v1.

The API reads only the Authorization header, never the session cookie, which is why it
needs no CSRF token.
"""
from functools import wraps

from flask import g, request
from flask_babel import gettext as _, lazy_gettext as _l

from ..accounts.services import token_record
from ..errors import DomainError


class Unauthorized(DomainError):
    status = 401
    title = _l("Unauthorized")


class Forbidden(DomainError):
    status = 403
    title = _l("Forbidden")


def load_bearer_user() -> None:
    """Set g.api_user and g.api_token from the Authorization header, if valid."""
    g.api_user = g.api_token = None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        record = token_record(token.strip())
        if record is not None:
            g.api_token, g.api_user = record, record.user


def current_api_user():
    return g.get("api_user")


def optional_api_user():
    """The bearer user, or None for anonymous callers; a token that is sent must be valid."""
    user = current_api_user()
    if user is None and request.headers.get("Authorization"):
        raise Unauthorized(_("The token is invalid or expired; send none to read as an anonymous visitor."))
    return user


def token_required(view):
    """401 unless a valid bearer token came with the request."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_api_user() is None:
            raise Unauthorized(_("Send a valid token: Authorization: Bearer <token> (POST /api/v1/tokens)."))
        return view(*args, **kwargs)

    wrapped.auth_required = True
    return wrapped


def roles_required(*roles: str):
    """401 without a token, 403 before anything is looked up when no role fits."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            user = current_api_user()
            if user is None:
                raise Unauthorized(_("Send a valid token: Authorization: Bearer <token> (POST /api/v1/tokens)."))
            if not user.has_role(*roles):
                raise Forbidden(_("This call is for the roles: %(roles)s.", roles=", ".join(roles)))
            return view(*args, **kwargs)

        wrapped.auth_required = True
        wrapped.roles = roles
        return wrapped

    return decorator
