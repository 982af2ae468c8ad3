"""What every request's input must be before any view reads it: ids that fit an id column,
text that PostgreSQL can store, JSON that is not absurdly deep, page numbers in range.

Kernel: imports no domain. The API's JSON loader (api/io.py), the forms' base class
(forms.py), the paginated pages (extensions.py) and the URL map all call these, so a
hostile value is refused once, at the edge, with a 4xx instead of surfacing as a 500
from the database driver.
"""
import math
import re

from flask import request
from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from .errors import DomainError, ValidationFailed

# Every id column is INTEGER: 32 bits on PostgreSQL (64 on SQLite). A larger id in a query
# is refused by PostgreSQL ("integer out of range"), so it never reaches one.
MAX_ID = 2**31 - 1
MAX_INTEGER = 2**63 - 1  # any other integer: BIGINT on PostgreSQL, INTEGER on SQLite
MAX_PAGE = 1_000_000  # keeps LIMIT/OFFSET far inside a BIGINT whatever per_page is
MAX_JSON_DEPTH = 20  # the deepest document of the API is a proposal's results (about 6)
# NUL cannot be stored by PostgreSQL; a lone surrogate cannot be encoded as UTF-8 at all.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
ASCII_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?")


class BadInput(DomainError):
    status = 400
    title = _l("Bad Request")


class IdConverter(IntegerConverter):
    """`<int:...>` in every route: ASCII digits only (re's \\d also matches Arabic-Indic
    and full-width digits) and at most MAX_ID, so a huge id is a 404, not an overflow."""

    regex = r"[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            # Not the converter's ValidationError: the router would then answer 405 when
            # another method's rule has the same path.
            raise NotFound()
        return number


def _unstorable(value: str) -> str | None:
    """"nul" or "surrogate": what in `value` cannot be kept as text; None if nothing."""
    match = _UNSTORABLE.search(value)
    if match is None:
        return None
    return "nul" if match.group() == "\x00" else "surrogate"


def unstorable_text_message(value: str) -> str | None:
    """Why `value` cannot be kept as text, or None."""
    problem = _unstorable(value)
    if problem is None:
        return None
    if problem == "nul":
        return _("The text may not contain NUL characters.")
    return _("The text may not contain lone UTF-16 surrogates.")


def _unstorable_key_message(key: str) -> str | None:
    """Why a JSON object's key cannot be kept, or None."""
    problem = _unstorable(key)
    if problem is None:
        return None
    if problem == "nul":
        return _("A key may not contain NUL characters.")
    return _("A key may not contain lone UTF-16 surrogates.")


def check_json(data) -> None:
    """Refuse, before any schema reads it, what no field of the API can take: nesting past
    MAX_JSON_DEPTH (400), and (422, by dotted path) unstorable text in keys or values,
    integers beyond ±MAX_INTEGER and numbers that are not finite (1e400 reads as infinity)."""
    errors: dict[str, list[str]] = {}
    stack = [(data, "", 1)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise BadInput(ngettext("The body is nested deeper than %(num)d level.",
                                    "The body is nested deeper than %(num)d levels.", MAX_JSON_DEPTH))
        if isinstance(value, dict):
            for key, item in value.items():
                sub = f"{path}.{key}" if path else str(key)
                message = _unstorable_key_message(key)
                if message:
                    errors.setdefault(_printable(sub), []).append(message)
                stack.append((item, sub, depth + 1))
        elif isinstance(value, list):
            stack.extend((item, f"{path}.{i}" if path else str(i), depth + 1) for i, item in enumerate(value))
        else:
            message = _scalar_problem(value)
            if message:
                errors.setdefault(_printable(path) or "_schema", []).append(message)
    if errors:
        raise ValidationFailed(_("Some values cannot be accepted."), errors=errors)


def _scalar_problem(value) -> str | None:
    if isinstance(value, str):
        return unstorable_text_message(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and abs(value) > MAX_INTEGER:
        return _("The number is out of range (at most %(maximum)d).", maximum=MAX_INTEGER)
    if isinstance(value, float) and not math.isfinite(value):
        return _("The number is out of range.")
    return None


def _printable(path: str) -> str:
    return _UNSTORABLE.sub("\ufffd", path)


def check_query_string() -> None:
    """before_request: a query value or name that could not be stored or compared in SQL is
    refused for every page and API call (a filter form would otherwise hand it on)."""
    for key, value in request.args.items(multi=True):
        message = unstorable_text_message(key) or unstorable_text_message(value)
        if message:
            raise ValidationFailed(_("The query string cannot be accepted."), errors={_printable(key): [message]})


def page_arg(name: str = "page") -> int:
    """The page number a list page asks for; anything but 1..MAX_PAGE in ASCII digits is 1."""
    raw = request.args.get(name, "")
    if ASCII_NUMBER.fullmatch(raw) and "." not in raw and len(raw) <= len(str(MAX_PAGE)):
        page = int(raw)
        if 1 <= page <= MAX_PAGE:
            return page
    return 1


def int_arg(name: str) -> int | None:
    """An id in the query string of a page: ASCII digits within 1..MAX_ID, else None."""
    raw = request.args.get(name, "")
    if raw.isascii() and raw.isdigit() and len(raw) <= 19 and 1 <= int(raw) <= MAX_ID:
        return int(raw)
    return None


def register(app) -> None:
    """Before any blueprint: the routes are compiled with the converter at hand."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(check_query_string)
