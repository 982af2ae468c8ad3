"""The six official languages of the United Nations: which one a request is answered in,
the reader's time zone, and the helpers that format for the reader (Flask-Babel).

Pages: the signed-in user's language (their account), else the visitor's choice (the
switcher, kept in the session), else the browser's Accept-Language, else English.
The API: Accept-Language only, so a client asks for each answer's language; codes and
field names never change.
"""
from contextlib import contextmanager

from babel import Locale

from flask import request, session
from flask_babel import Babel, force_locale, get_locale, lazy_gettext as _l
from flask_babel.speaklater import LazyString
from markupsafe import escape
from flask_login import current_user

# In the order of the switcher: each name in its own language.
LANGUAGES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "zh": "中文",
    "ru": "Русский",
}
RIGHT_TO_LEFT = frozenset({"ar"})
DEFAULT_LANGUAGE = "en"
SESSION_KEY = "language"

babel = Babel()


def supported(code) -> str | None:
    """`code` when the application speaks it ("fr", "fr-CA" → "fr"), else None."""
    if not isinstance(code, str):
        return None
    code = code.strip().replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else None


def _browser_language() -> str | None:
    return request.accept_languages.best_match(list(LANGUAGES))


def select_locale() -> str:
    if not request:
        return DEFAULT_LANGUAGE
    if request.path.startswith("/api/"):
        return supported(_browser_language()) or DEFAULT_LANGUAGE
    if current_user and current_user.is_authenticated and supported(current_user.language):
        return supported(current_user.language)
    return supported(session.get(SESSION_KEY)) or supported(_browser_language()) or DEFAULT_LANGUAGE


def select_timezone() -> str | None:
    """The user's own zone; None (UTC) for visitors and users who chose none."""
    if request and current_user and current_user.is_authenticated:
        return current_user.timezone or None
    return None


def reader_locale() -> Locale:
    """The request's Babel locale; English outside a request (commands, imports)."""
    return get_locale() or Locale("en")


def current_language() -> str:
    locale = get_locale()
    return (supported(str(locale)) if locale else None) or DEFAULT_LANGUAGE


def text_direction() -> str:
    return "rtl" if current_language() in RIGHT_TO_LEFT else "ltr"


@contextmanager
def in_language_of(user):
    """Messages made inside are in `user`'s language: an e-mail (subject and body) goes out in
    its recipient's, whoever's request or command caused it."""
    with force_locale(supported(getattr(user, "language", None)) or DEFAULT_LANGUAGE):
        yield


# What the pages' scripts write (static/js/picker.js, autosave.js), in the reader's language:
# base.html hands them over as JSON; %(name)s is filled in by the script.
SCRIPT_MESSAGES = {
    "shown": _l("%(num)s shown."),
    "chosen": _l("Chosen: %(names)s"),
    "none_chosen": _l("None chosen."),
    "saving": _l("Saving…"),
    "saved_at": _l("Saved at %(time)s"),
    "offline": _l("Offline: not saved yet. It will be saved when the connection is back."),
    "unreachable": _l("Not saved: the server could not be reached. Trying again shortly."),
    "not_saved": _l("Not saved: %(reason)s"),
    "field_invalid": _l("a field is not valid."),
    "rest_saved": _l("Everything else is saved (%(time)s)."),
    "expired": _l("Your session has expired."),
    "busy": _l("Not saved yet: the server is busy. Trying again shortly."),
    "not_a_draft": _l("the draft could not be saved."),
    "reload": _l("Reload the page to see the proposal as it is."),
    "restored": _l("What you typed before your session expired is back but not saved yet. Check it: it is saved "
                   "as you go on, or with Save draft."),
}


def script_messages() -> dict[str, str]:
    return {key: str(message) for key, message in SCRIPT_MESSAGES.items()}


def _escaped_html(self) -> str:
    return str(escape(str(self)))


def init_app(app) -> None:
    # Flask-Babel's lazy strings tell Jinja and WTForms that they are markup (__html__ returns
    # the text as it is): a translation holding "<" or "&" would go into the page raw.
    # They are text, and escaped like any other.
    LazyString.__html__ = _escaped_html
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.globals.update(LANGUAGES=LANGUAGES, current_language=current_language,
                                 text_direction=text_direction, script_messages=script_messages)
