"""An administrator's management of users, and a user's own settings (API.md "Accounts")."""
from zoneinfo import available_timezones

from flask_babel import gettext as _
from sqlalchemy import Select, or_, select

from ..audit.services import record_event
from ..errors import NotFound, PermissionDenied, ValidationFailed
from ..extensions import db
from ..languages import is_language
from ..locking import lock_rows
from ..vocabulary import Role
from . import services, sessions
from .models import User, UserRole


def _require_admin(actor: User) -> None:
    if not actor.has_role(Role.admin):
        raise PermissionDenied(_("Only an administrator manages users."))


def users_query(actor: User, q: str | None = None, role: str | None = None,
                active: bool | None = None) -> Select:
    """Users matching the filters, ordered by id (a stable order for pages)."""
    _require_admin(actor)
    stmt = select(User).order_by(User.id)
    if q:
        pattern = f"%{q.strip().lower()}%"
        stmt = stmt.where(or_(User.email.like(pattern), User.name.ilike(pattern)))
    if role:
        stmt = stmt.where(User.role_links.any(UserRole.role == Role(role)))
    if active is not None:
        stmt = stmt.where(User.active.is_(active))
    return stmt


def get_user(actor: User, user_id: int) -> User:
    _require_admin(actor)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("No such user."))
    return user


def update_user(actor: User, user: User, roles: list[str] | None = None, active: bool | None = None) -> User:
    """Change a user's roles or deactivate (or reactivate) the account.

    Deactivating ends the user's sessions and API tokens at once, so reactivating later
    brings none of them back.
    """
    _require_admin(actor)
    # Two administrators demoting each other at the same moment would leave the fund with
    # none: the actor's and the user's rows are locked (in id order, against deadlocks),
    # reloaded, and the actor's right checked again on what is now committed.
    lock_rows(select(User).where(User.id.in_({actor.id, user.id})).order_by(User.id)
              .execution_options(populate_existing=True)).all()
    _require_admin(actor)
    if not actor.active:
        raise PermissionDenied(_("Only an administrator manages users."))
    if user.id == actor.id and (active is False or (roles is not None and Role.admin.value not in roles)):
        # An administrator cannot lock themselves out (nor the fund out of its last admin).
        raise ValidationFailed(_("You cannot deactivate yourself or drop your own admin role."),
                               errors={"active" if active is False else "roles": [_("Not for your own account.")]})
    if roles is not None and not roles:
        raise ValidationFailed(_("A user needs at least one role."), errors={"roles": [_("Give at least one role.")]})
    before = {"roles": user.roles, "active": user.active}
    if roles is not None:
        wanted = [Role(r) for r in dict.fromkeys(roles)]
        user.role_links = [link for link in user.role_links if link.role in wanted] + [
            UserRole(role=r) for r in wanted if r not in {link.role for link in user.role_links}]
    ended = 0
    if active is not None:
        if not active:
            ended = sessions.end_sessions_and_tokens(user)
        user.active = active
    db.session.flush()
    record_event(actor, "user.updated", user, before=before,
                 after={"roles": user.roles, "active": user.active, "sessions_and_tokens_ended": ended})
    return user


def send_password_reset(actor: User, user: User) -> None:
    """Mail the user a reset link; the link is never returned to the administrator."""
    _require_admin(actor)
    if not user.active:
        raise ValidationFailed(_("The account is deactivated."), errors={"active": [_("Reactivate it first.")]})
    services.request_password_reset(user.email)
    record_event(actor, "password.reset_sent_by_admin", user)


def update_me(user: User, changes: dict) -> User:
    """A user's own name, language and time zone (None: the browser's); `changes` holds
    only the fields sent."""
    timezone = changes.get("timezone", user.timezone)
    if timezone and timezone not in available_timezones():
        raise ValidationFailed(_("Unknown time zone."), errors={"timezone": [_("Give an IANA time zone name.")]})
    language = changes.get("language")
    if language is not None and not is_language(language):
        # The API's schema, the switcher and the profile form refuse it too: here for every channel.
        raise ValidationFailed(_("Unknown language."), errors={"language": [_("Give an ISO 639-1 language code.")]})
    before = {"name": user.name, "language": user.language, "timezone": user.timezone}
    if before == {**before, **changes}:
        return user  # nothing changes: no event (the switcher posts the language already chosen)
    if "name" in changes:
        user.name = services.check_name(changes["name"])
    user.language = changes.get("language", user.language)
    user.timezone = timezone or None
    record_event(user, "profile.updated", user, before=before,
                 after={"name": user.name, "language": user.language, "timezone": user.timezone})
    return user
