"""Domain exceptions, problem+json for the API and friendly pages for the web.

Services raise the exceptions below; API handlers let them propagate and get a
problem+json answer, web views catch them and show the message.
"""
import logging

from flask import jsonify, make_response, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException

from .extensions import db

log = logging.getLogger(__name__)

PROBLEM_TYPE = "about:blank"


class DomainError(Exception):
    """A rule of the fund refused what was asked. `status` is its HTTP equivalent."""

    status = 409
    title = _l("Conflict")

    def __init__(self, detail: str, *, errors: dict | None = None, problems: list | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.problems = problems


class InvalidTransition(DomainError):
    """The object's state, or the clock, forbids the change."""


class Conflict(DomainError):
    """The change clashes with what exists (an e-mail in use, the last member)."""


class InsufficientFunds(DomainError):
    title = _l("Insufficient fund balance")


class ValidationFailed(DomainError):
    """Values that break a rule; `errors` maps dotted field paths to messages."""

    status = 422
    title = _l("Unprocessable Content")


class NotFound(DomainError):
    status = 404
    title = _l("Not Found")


class PermissionDenied(DomainError):
    status = 403
    title = _l("Forbidden")


class Throttled(DomainError):
    status = 429
    title = _l("Too Many Requests")

    def __init__(self, detail: str, retry_after: int):
        super().__init__(detail)
        self.retry_after = retry_after


# HTTP's own errors in the reader's language: the title, and the explanation when the code
# raising it gave none of its own (Werkzeug's descriptions are English).
HTTP_TITLES = {
    400: (_l("Bad Request"), _l("The request could not be understood: check what was sent.")),
    401: (_l("Unauthorized"), _l("Sign in (or send a valid token) to use this.")),
    403: (_l("Forbidden"), _l("You do not have permission to do this.")),
    404: (_l("Not Found"), _l("Nothing is at this address. Check the link or go back to the home page.")),
    405: (_l("Method Not Allowed"), _l("This address does not accept that method.")),
    409: (_l("Conflict"), _l("The request conflicts with the current state of the record.")),
    413: (_l("Content Too Large"), _l("The request is too large.")),
    415: (_l("Unsupported Media Type"), _l("This kind of content is not accepted here.")),
    422: (_l("Unprocessable Content"), _l("Some values are not acceptable.")),
    429: (_l("Too Many Requests"), _l("Too many attempts. Please wait and try again.")),
}


def problem(status: int, title: str, detail: str, **extra):
    """A problem+json (RFC 9457) response."""
    body = {"type": PROBLEM_TYPE, "title": str(title), "status": status, "detail": str(detail)}
    body.update({k: v for k, v in extra.items() if v is not None})
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def wants_problem_json() -> bool:
    return request.path.startswith("/api/")


def _domain_error(error: DomainError):
    if wants_problem_json():
        response = problem(error.status, error.title, error.detail,
                           errors=error.errors, problems=error.problems)
    else:
        response = make_response(render_template(
            "errors/error.html", status=error.status, title=error.title, detail=error.detail
        ), error.status)
    if isinstance(error, Throttled):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def _http_error(error: HTTPException):
    if isinstance(getattr(error, "original_exception", None), (OperationalError, InterfaceError)):
        # Raised while the response was being finished, after the view (Flask wraps it in a
        # 500 then): the database went away all the same, so answer as for any request.
        return _database_unavailable(error.original_exception)
    title, default_detail = HTTP_TITLES.get(error.code, (error.name, None))
    detail = error.description or error.name
    if default_detail is not None and (detail == type(error).description or error.code == 413):
        detail = default_detail
    if wants_problem_json():
        response = problem(error.code, title, detail)
    else:
        return render_template("errors/error.html", status=error.code,
                               title=title, detail=detail), error.code
    if error.code == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _unexpected_error(error: Exception):
    log.exception("Unhandled error on %s %s", request.method, request.path)
    db.session.rollback()
    detail = _("Something went wrong on our side. Nothing was changed; please try again.")
    if wants_problem_json():
        return problem(500, _("Internal Server Error"), detail)
    return render_template("errors/error.html", status=500, title=_("Server error"), detail=detail), 500


def _database_unavailable(error: Exception):
    # The database away (restarting, failing over) or refusing for the moment: a 503 with
    # Retry-After tells clients and proxies to try again, which every write here allows
    # (a repeated submit or decision is answered, not doubled).
    log.warning("Database unavailable on %s %s: %s", request.method, request.path, error)
    _drop_session()
    detail = _("The database is unavailable for a moment. Please try again shortly.")
    if wants_problem_json():
        response = problem(503, _("Service Unavailable"), detail)
    else:
        try:
            page = render_template("errors/error.html", status=503, title=_("Service unavailable"), detail=detail)
        except OperationalError:  # the page itself needed the database (the signed-in user)
            page = detail
        response = make_response(page, 503)
    response.headers["Retry-After"] = "5"
    return response


def _drop_session(error: BaseException | None = None) -> None:
    """End the request's session even when its connection died under it. A rollback on a
    dead connection raises; at teardown (Flask-SQLAlchemy's session.remove()) that turned a
    finished response into gunicorn's bare 500. Invalidating discards the connection instead."""
    try:
        db.session.close()
    except (OperationalError, InterfaceError):
        db.session().invalidate()  # scoped_session does not pass invalidate() on


def register_errorhandlers(app):
    from .stash import register as register_kept_input

    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(HTTPException, _http_error)
    # A form posted after the session or the log-in expired is kept, not refused:
    # a CSRFError handler and the log-in manager's unauthorized handler (stash.py).
    register_kept_input(app)
    # Registered after Flask-SQLAlchemy's teardown, so it runs before it (teardowns run last-first).
    app.teardown_appcontext(_drop_session)
    if not app.testing:
        app.register_error_handler(Exception, _unexpected_error)
        app.register_error_handler(OperationalError, _database_unavailable)
        # A connection closed under a request while the server restarts reads as InterfaceError.
        app.register_error_handler(InterfaceError, _database_unavailable)
