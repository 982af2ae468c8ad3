"""Coarse permission checks for pages: roles are checked on the server, every request.

Object-level predicates live in each domain's permissions.py; the API has its own
decorators in api/auth.py that answer with problem+json.
"""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def role_required(*roles: str):
    """The page needs a signed-in user holding one of `roles`; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def has_role(user, *roles: str) -> bool:
    """For templates: whether the (possibly anonymous) user holds one of `roles`."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*roles)
