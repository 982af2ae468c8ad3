"""Nothing typed is lost: a form posted after the session or the log-in expired is kept.

Flask-WTF refuses a post whose session is gone (CSRFError) before any view runs, and
@login_required refuses one whose log-in is gone; both would throw the text away. For
views marked @keeps_typed_input, both handlers below keep the posted fields (never the
CSRF token, never a file) in a StashedForm row and send the user to log in with
next=<the form's page>?restore=<token>; the page then shows the form again, filled
with what was posted, to be checked and saved again.

Why a table and not the session cookie: a proposal section holds up to ~45,000
characters, far above the 4 KB a cookie may carry. The random token in the URL finds
the row; the row is only read by a view that has already checked that the signed-in
user may edit the page's object, is used once, and lapses after STASH_HOURS.

Bound to the browser: every page sets a random browser id in a SameSite=Strict cookie
(BROWSER_COOKIE), which a browser never sends with a post from another site. A post is
kept only when it carries that cookie, and given back only to the browser with the same
id (and to the same user, when the post was made signed in). So a third-party page
cannot plant text in a victim's form. Posts are capped in size (MAX_STASH_CHARS) and
rate, per browser and overall (ratelimits.py), since anyone may post.
"""
import hashlib
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_login.utils import login_url
from sqlalchemy import JSON, String, delete, select
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.datastructures import MultiDict

from .dates import UTCDateTime, utcnow
from .extensions import db
from .inputs import unstorable_text_message
from .locking import acquire_write_lock

STASH_HOURS = 24
MAX_STASH_CHARS = 512 * 1024
BROWSER_COOKIE = "unscar_browser"
BROWSER_COOKIE_DAYS = 30
EXPIRED_MESSAGE = _l("Your session had expired; check and save again.")
SIGN_IN_MESSAGE = _l("Your session had expired. Sign in again: what you typed is kept.")
# Flask-Login's own message (the factory sets none), in the reader's language.
LOGIN_MESSAGE = _l("Please log in to access this page.")


class StashedForm(db.Model):
    """The fields of one post that arrived without a valid session."""

    __tablename__ = "stashed_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(String(500))
    # [[name, value], ...] in the posted order, so repeated names keep their values.
    fields: Mapped[list] = mapped_column(JSON)
    # SHA-256 of the random id in the posting browser's SameSite=Strict cookie: only that
    # browser gets the text back, so a third-party page cannot plant text in a form.
    browser_hash: Mapped[str] = mapped_column(String(64), default="", index=True)
    # The signed-in user who posted, when the log-in still held (only the CSRF token
    # lapsed); such a post is restored to that user only.
    user_id: Mapped[int | None] = mapped_column()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)


def keeps_typed_input(view):
    """Mark a form view whose posts are kept when the session or log-in expired."""
    view.keeps_typed_input = True
    return view


def _keeps_input() -> bool:
    view = current_app.view_functions.get(request.endpoint)
    return request.method == "POST" and getattr(view, "keeps_typed_input", False)


def _browser_hash() -> str | None:
    """The hash of this browser's id, if the request carried the SameSite=Strict cookie."""
    browser_id = request.cookies.get(BROWSER_COOKIE, "")
    if not 20 <= len(browser_id) <= 64:
        return None
    return hashlib.sha256(browser_id.encode()).hexdigest()


def set_browser_cookie(response):
    """Give each browser an id the first time it comes (after_request); never the API."""
    if BROWSER_COOKIE not in request.cookies and not request.path.startswith("/api/"):
        response.set_cookie(BROWSER_COOKIE, secrets.token_urlsafe(32), max_age=BROWSER_COOKIE_DAYS * 86400,
                            httponly=True, samesite="Strict",
                            secure=current_app.config.get("SESSION_COOKIE_SECURE", False))
    return response


def stash_posted_form(path: str | None = None) -> str | None:
    """Keep the posted fields for the page at `path` (default: the post's own path); the
    token that finds them. None when the post did not come from one of this site's pages in
    this browser, is too large, or a limit is spent. An autosave (proposals/autosave.py)
    posts elsewhere and keeps its fields for the form's page."""
    path = path or request.path
    from .errors import Throttled
    from .ratelimits import check

    browser = _browser_hash()
    if browser is None:  # a cross-site post, or a client that never loaded a page here
        return None
    fields = [[name, value] for name, value in request.form.items(multi=True) if name != "csrf_token"]
    if sum(len(name) + len(value) for name, value in fields) > MAX_STASH_CHARS:
        return None
    # What could not be stored is not kept (NUL, lone surrogates, a path past its column).
    texts = [path, *(text for field in fields for text in field)]
    if len(path) > 500 or any(unstorable_text_message(text) for text in texts):
        return None
    try:
        check("stash_browser", browser)
        check("stash_all", "all")
    except Throttled:
        return None
    now = utcnow()
    token = secrets.token_urlsafe(32)
    db.session.execute(delete(StashedForm).where(StashedForm.expires_at < now))
    db.session.add(StashedForm(token=token, path=path, fields=fields, created_at=now,
                               expires_at=now + timedelta(hours=STASH_HOURS), browser_hash=browser,
                               user_id=current_user.id if current_user.is_authenticated else None))
    db.session.commit()
    return token


def take_stashed_form() -> MultiDict | None:
    """The fields kept for this page under ?restore=, deleted from the store.

    Call it before loading anything (on SQLite it may restart the transaction to take
    the write lock, which expires what was loaded). The view commits the deletion
    once the page is rendered; a refusal on the way rolls it back, so the kept text
    survives for the user who may see it.
    """
    token = request.args.get("restore")
    browser = _browser_hash()
    if not token or browser is None:
        return None
    acquire_write_lock()
    stash = db.session.scalar(select(StashedForm).where(StashedForm.token == token,
                                                        StashedForm.path == request.path,
                                                        StashedForm.browser_hash == browser,
                                                        StashedForm.expires_at > utcnow()))
    if stash is None or stash.user_id not in (None, getattr(current_user, "id", None)):
        return None
    db.session.delete(stash)
    db.session.flush()
    return MultiDict([(name, value) for name, value in stash.fields])


def _safe_referrer() -> str | None:
    parts = urlsplit(request.referrer or "")
    if parts.netloc == request.host and parts.path.startswith("/"):
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return None


def _restore_or_sign_in():
    """Keep the post, then back to its page: directly when signed in, else through log-in."""
    token = stash_posted_form()
    if token is None:
        return None
    page = f"{request.path}?restore={token}"
    if current_user.is_authenticated:
        return redirect(page)
    flash(str(SIGN_IN_MESSAGE), "warning")
    return redirect(url_for("accounts.login", next=page))


def on_csrf_error(error):
    """The session is gone (or its token changed) under a posted form."""
    from .errors import wants_problem_json

    if not wants_problem_json():
        if _keeps_input() and (response := _restore_or_sign_in()) is not None:
            return response
        if not current_user.is_authenticated:
            flash(_("Your session had expired. Sign in and try again."), "warning")
            return redirect(url_for("accounts.login", next=_safe_referrer()))
    from .errors import _http_error

    return _http_error(error)


def on_unauthorized():
    """@login_required without a log-in: keep a marked form's post; otherwise Flask-Login's default."""
    if _keeps_input() and (response := _restore_or_sign_in()) is not None:
        return response
    manager = current_app.login_manager
    flash(str(LOGIN_MESSAGE), manager.login_message_category)
    return redirect(login_url(manager.login_view, next_url=request.url))


def register(app) -> None:
    from flask_wtf.csrf import CSRFError

    app.register_error_handler(CSRFError, on_csrf_error)
    app.login_manager.unauthorized_handler(on_unauthorized)
    app.after_request(set_browser_cookie)
