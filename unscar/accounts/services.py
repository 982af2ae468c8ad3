"""Accounts: registration, log-in, passwords, members, staff users and API tokens."""
import functools
import hashlib
import secrets
from zoneinfo import available_timezones
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _, ngettext
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import ratelimits
from ..audit.services import record_event
from ..dates import utcnow
from ..errors import Conflict, NotFound, PermissionDenied, Throttled, ValidationFailed
from ..extensions import db
from ..i18n import LANGUAGES, in_language_of
from ..links import external_url
from ..outbox.services import queue_mail
from ..vocabulary import OrganisationType, Role
from . import sessions, throttle
from .models import ApiToken, Organisation, User, UserRole
from .schemas import CONTROL_CHARACTERS


class InvalidCredentials(Exception):
    """Wrong e-mail or password (the message never says which)."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def get_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def _check_password_rules(password: str, field: str = "password") -> None:
    minimum = current_app.config["MIN_PASSWORD_LENGTH"]
    if len(password) < minimum:
        raise ValidationFailed(_("The password is too short."),
                               errors={field: [ngettext("Use at least %(num)d character.",
                                                        "Use at least %(num)d characters.", minimum)]})


def _ensure_email_free(email: str, field: str = "email") -> None:
    if get_user_by_email(email) is not None:
        raise Conflict(_("An account with this e-mail address already exists."),
                       errors={field: [_("This e-mail address is already in use.")]})


def check_name(name: str, field: str = "name") -> str:
    """The name, stripped; refused with a line break or control character in it, whatever
    the channel (CLI included): names go into mail headers."""
    if CONTROL_CHARACTERS.search(name):
        raise ValidationFailed(_("A name must be on one line."),
                               errors={field: [_("Use one line: no line breaks or control characters.")]})
    return name.strip()


def _new_user(email: str, name: str, password: str | None, roles, organisation=None) -> User:
    user = User(email=normalise_email(email), name=check_name(name), organisation=organisation)
    if password is not None:
        user.password_hash = generate_password_hash(password)
        user.password_changed_at = utcnow()
    user.role_links = [UserRole(role=Role(r)) for r in dict.fromkeys(roles)]
    db.session.add(user)
    return user


def register_organisation(org_name: str, org_type: str, country: str, registration_number: str | None,
                          email: str, password: str, name: str) -> tuple[Organisation, User]:
    """Create an organisation and its first user, who gets the applicant role."""
    ratelimits.check("registration", f"email:{normalise_email(email)}")
    ratelimits.check("registration", f"organisation:{org_name}")
    _ensure_email_free(email, "user.email")
    _check_password_rules(password, "user.password")
    check_name(name, "user.name")
    organisation = Organisation(name=check_name(org_name, "organisation.name"),
                                type=OrganisationType(org_type),
                                country=country.upper(),
                                registration_number=(registration_number or "").strip() or None)
    db.session.add(organisation)
    user = _new_user(email, name, password, [Role.applicant], organisation)
    db.session.flush()
    record_event(user, "organisation.registered", organisation,
                 after={"name": organisation.name, "type": organisation.type,
                        "country": organisation.country, "first_user": user.email})
    return organisation, user


def create_user(actor: User | None, email: str, name: str, password: str, roles,
                organisation_id: int | None = None, donor_id: int | None = None) -> User:
    """An admin (or the command line, actor None) creates a user with any roles."""
    if actor is not None and not actor.has_role(Role.admin):
        raise PermissionDenied(_("Only an administrator creates users."))
    if not roles:
        raise ValidationFailed(_("A user needs at least one role."), errors={"roles": [_("Give at least one role.")]})
    _ensure_email_free(email)
    _check_password_rules(password)
    organisation = None
    if organisation_id is not None:
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is None:
            raise ValidationFailed(_("Unknown organisation."),
                                   errors={"organisation_id": [_("No organisation has this id.")]})
    user = _new_user(email, name, password, roles, organisation)
    user.donor_id = donor_id
    db.session.flush()
    record_event(actor, "user.created", user, after={"email": user.email, "roles": user.roles,
                                                     "organisation_id": organisation_id,
                                                     "donor_id": donor_id})
    return user


@functools.cache
def _dummy_hash() -> str:
    # Made with the same method and cost as real hashes, so checking it takes as long.
    return generate_password_hash(secrets.token_urlsafe(16))


def authenticate(email: str, password: str) -> User:
    """Check a log-in, counting failures per e-mail; raises Throttled or InvalidCredentials."""
    email = normalise_email(email)
    wait = throttle.seconds_locked(email)
    if wait:
        raise Throttled(_("Too many failed log-ins for this address. Try again later."), wait)
    user = get_user_by_email(email)
    # Always one hash check, whether or not the address has an account (or a password):
    # answering an unknown address faster would tell which addresses have accounts.
    stored = user.password_hash if user is not None and user.password_hash else _dummy_hash()
    password_ok = check_password_hash(stored, password)
    if user is None or not user.password_hash or not user.active or not password_ok:
        throttle.record_failure(email)
        raise InvalidCredentials()
    throttle.clear_failures(email)
    return user


def change_password(user: User, current_password: str, new_password: str,
                    keep_session_hash: str | None = None) -> None:
    """`keep_session_hash`: the session the change is made in, which stays signed in."""
    if not user.password_hash or not check_password_hash(user.password_hash, current_password):
        raise ValidationFailed(_("The current password is wrong."),
                               errors={"current_password": [_("This is not your current password.")]})
    _set_password(user, new_password, "password.changed", keep_session_hash)


def _set_password(user: User, password: str, action: str, keep_session_hash: str | None = None) -> None:
    _check_password_rules(password)
    user.password_hash = generate_password_hash(password)
    # Changing this invalidates every reset link issued before.
    user.password_changed_at = utcnow()
    # Whoever knew the old password may hold a session or a token: they end here.
    ended = sessions.end_sessions_and_tokens(user, keep_session_hash)
    record_event(user, action, user, after={"sessions_and_tokens_ended": ended})
    if action != "invitation.accepted":
        with in_language_of(user):
            queue_mail(user.email, _("Your UNSCAR Grants password was changed"), "password_changed",
                       kind="password_changed", user=user, changed_at=user.password_changed_at,
                       reset_link=external_url("accounts.request_password_reset"))


# --- password reset and invitations: signed, time-limited, single-use links -------

class _ClockSigner(TimestampSigner):
    """Signs with the server clock of dates.utcnow(), which tests can move."""

    def get_timestamp(self) -> int:
        return int(utcnow().timestamp())


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"unscar-{purpose}",
                                  signer=_ClockSigner)


def _password_stamp(user: User) -> str:
    # Binds a link to the password it replaces, so a used link stops working.
    stamp = f"{user.password_hash or ''}{user.password_changed_at or ''}"
    return hashlib.sha256(stamp.encode()).hexdigest()[:16]


def make_password_token(user: User, purpose: str = "reset") -> str:
    return _serializer(purpose).dumps({"user_id": user.id, "stamp": _password_stamp(user)})


def user_for_password_token(token: str, purpose: str = "reset") -> User:
    """The user a reset or invitation link is for; NotFound when invalid, used or expired."""
    key = "PASSWORD_RESET_MAX_AGE_SECONDS" if purpose == "reset" else "INVITATION_MAX_AGE_SECONDS"
    try:
        data = _serializer(purpose).loads(token, max_age=current_app.config[key])
    except SignatureExpired:
        raise NotFound(_("This link has expired. Ask for a new one.")) from None
    except BadSignature:
        raise NotFound(_("This link is not valid or has already been used.")) from None
    user = db.session.get(User, data.get("user_id"))
    if user is None or not secrets.compare_digest(data.get("stamp", ""), _password_stamp(user)):
        raise NotFound(_("This link is not valid or has already been used."))
    return user


def request_password_reset(email: str) -> None:
    """Mail a reset link if the address has an account; say nothing either way.

    Limited per address, known or not (so the limit tells nothing), against mail floods."""
    ratelimits.check("password_reset", normalise_email(email))
    user = get_user_by_email(email)
    if user is None or not user.active:
        return
    link = external_url("accounts.reset_password", token=make_password_token(user))
    with in_language_of(user):
        queue_mail(user.email, _("Reset your UNSCAR Grants password"), "password_reset", kind="password_reset",
                   hidden=("link",), user=user, link=link,
                   minutes=current_app.config["PASSWORD_RESET_MAX_AGE_SECONDS"] // 60)
    record_event(user, "password.reset_requested", user)


def reset_password(token: str, password: str, purpose: str = "reset") -> User:
    user = user_for_password_token(token, purpose)
    _set_password(user, password, "password.reset" if purpose == "reset" else "invitation.accepted")
    return user


# --- members ------------------------------------------------------------------

def _require_member(actor: User, organisation: Organisation) -> None:
    if actor.organisation_id != organisation.id or not actor.has_role(Role.applicant):
        raise NotFound(_("No such organisation."))


def manager_of(organisation: Organisation) -> User | None:
    """The member who invites and removes colleagues (DESIGN.md: the first user): the
    earliest active member, so if the founder leaves, the next earliest takes over."""
    return db.session.scalar(select(User).where(User.organisation_id == organisation.id, User.active.is_(True))
                             .order_by(User.created_at, User.id).limit(1))


def _require_manager(actor: User, organisation: Organisation) -> None:
    manager = manager_of(organisation)
    if manager is None or manager.id != actor.id:
        if manager is None:
            raise PermissionDenied(_("Only the first member, who manages the organisation's account, "
                                     "invites and removes colleagues."))
        raise PermissionDenied(_("Only %(name)s, who manages the organisation's account, invites and "
                                 "removes colleagues.", name=manager.name))


def invite_member(actor: User, organisation: Organisation, email: str, name: str,
                  language: str | None = None) -> User:
    """The organisation's manager adds a colleague, who is mailed a link to set a password.

    `language` (one of LANGUAGES) is the colleague's, as the inviter knows it: the invitation
    goes out in it and their pages follow it until they choose another. The web form always
    gives one (the inviter's offered first); an API client may leave it out, and the
    invitation is then in the inviter's language and the colleague's pages follow their browser."""
    _require_member(actor, organisation)
    _require_manager(actor, organisation)
    if language is not None and language not in LANGUAGES:
        raise ValidationFailed(_("Unknown language."), errors={"language": [_("Choose one of the languages offered.")]})
    _ensure_email_free(email)
    user = _new_user(email, name, None, [Role.applicant], organisation)
    user.language = language
    db.session.flush()
    with in_language_of(user if language else actor):
        subject = _("You are invited to %(organisation)s on UNSCAR Grants", organisation=organisation.name)
        queue_mail(user.email, subject, "invitation", kind="invitation", hidden=("link",), user=user,
                   inviter=actor, organisation=organisation,
                   link=external_url("accounts.accept_invitation", token=make_password_token(user, "invite")))
    record_event(actor, "member.invited", user, after={"email": user.email, "organisation_id": organisation.id,
                                                       "language": language})
    return user


def remove_member(actor: User, organisation: Organisation, member_id: int) -> None:
    """The manager removes a colleague, or a member leaves; the last member stays.

    Nobody else can remove the manager, so an organisation is never left without one.
    """
    _require_member(actor, organisation)
    member = db.session.get(User, member_id)
    if member is None or member.organisation_id != organisation.id:
        raise NotFound(_("No such member."))
    if member.id != actor.id:
        _require_manager(actor, organisation)
    count = db.session.scalar(select(func.count()).select_from(User).where(
        User.organisation_id == organisation.id, User.active.is_(True)))
    if count <= 1:
        raise Conflict(_("The last member of an organisation cannot be removed."))
    member.organisation_id = None
    member.active = False
    ended = sessions.end_sessions_and_tokens(member)
    record_event(actor, "member.removed", member, before={"organisation_id": organisation.id},
                 after={"sessions_and_tokens_ended": ended})


# --- API tokens -------------------------------------------------------------------

def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(user: User) -> tuple[str, ApiToken]:
    token = secrets.token_urlsafe(32)
    record = ApiToken(user=user, token_hash=_hash_token(token),
                      expires_at=utcnow() + timedelta(hours=current_app.config["API_TOKEN_HOURS"]))
    db.session.add(record)
    db.session.flush()
    record_event(user, "token.issued", record, object_type="api_tokens")
    return token, record


def token_record(token: str) -> ApiToken | None:
    """The live token record for a bearer token, or None."""
    record = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _hash_token(token)))
    if record is None or record.revoked_at is not None or record.expires_at <= utcnow():
        return None
    if not record.user.active:
        return None
    return record


def revoke_token(record: ApiToken) -> None:
    record.revoked_at = utcnow()
    record_event(record.user, "token.revoked", record)
