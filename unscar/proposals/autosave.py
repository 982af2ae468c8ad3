"""Autosave of the editor's section pages: static/js/autosave.js posts the form here when the
applicant pauses typing or leaves a field, and shows the answer in a live region.

The post is the page's own form (its CSRF token included), read by the page's own form
class and saved through the same service as the Save button (services.update_proposal), so
an autosave can do nothing a save could not. Without JavaScript the Save button works
as before. Differences, each for a reason:

- Answers are JSON (problem+json for refusals), never a page or a redirect: a script reads
  them. A field with bad input is named and left as it was; the other fields are saved, so
  one mistyped date does not hold back an hour of text. A field the post does not carry is
  left as it was, never blanked.
- The audit: autosaves within AUTOSAVE_AUDIT_MINUTES of this user's last audited change
  make no new event (services.update_proposal, `audit_every`).
- An expired session or log-in: the fields are kept as a post to the page would be
  (stash.py), for the page, and the answer is 401 with the link to sign in, after which
  the page shows them again.

A blueprint nested in proposals' own, so that its error handlers (JSON) apply to these
routes alone.
"""
from datetime import timedelta

from flask import Blueprint, current_app, jsonify, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from wtforms import FieldList, FormField, SelectMultipleField

from ..dates import utcnow
from ..errors import DomainError, NotFound, PermissionDenied, problem
from ..extensions import db
from ..stash import stash_posted_form
from . import services
from .blueprint import bp as proposals_bp
from .editor import SECTION_FORMS, _section_form
from .queries import get_proposal_or_404

bp = Blueprint("autosave", __name__)
proposals_bp.register_blueprint(bp)


@proposals_bp.app_template_global()
def autosave_url(proposal, section: str) -> str | None:
    """Where the editor page of `section` autosaves to; None for pages that do not."""
    if section not in SECTION_FORMS:
        return None
    return url_for("proposals.autosave.update", proposal_id=proposal.id, section=section)


def _page(proposal_id: int, section: str) -> str:
    return url_for("proposals.update", proposal_id=proposal_id, section=section)


@bp.post("/<int:proposal_id>/edit/<section>/autosave")
def update(proposal_id, section):
    if section not in SECTION_FORMS:
        raise NotFound(_("No such section."))
    if not current_user.is_authenticated:
        return _kept_for_later(_page(proposal_id, section))
    if not current_user.has_role("applicant"):
        raise PermissionDenied(_("Only the proposal's organisation edits it."))
    proposal = get_proposal_or_404(current_user, proposal_id)
    form = _section_form(section, proposal, None)  # the page's own form, built as the page builds it
    form.validate()
    # A field the post does not carry is left alone: its "errors" (a choice missing) too.
    errors = {key: found for key, found in _errors(form).items() if _posted(form[key.split("-")[0]])}
    values = {name: value for name, value in form.values().items()
              if _posted(form[name]) and not any(key.split("-")[0] == name for key in errors)}
    minutes = current_app.config.get("AUTOSAVE_AUDIT_MINUTES", 5)
    try:
        services.update_proposal(current_user, proposal, values, audit_every=timedelta(minutes=minutes))
    except DomainError as error:
        db.session.rollback()
        return problem(error.status, error.title, error.detail, errors=error.errors)
    db.session.commit()
    saved_at = utcnow().isoformat()
    if errors:
        label, message = next(iter(errors.values()))[0]
        return problem(422, "Unprocessable Content", _("%(label)s: %(message)s", label=label, message=message),
                       saved_at=saved_at, errors={key: [text for _label, text in found] for key, found in errors.items()})
    return jsonify(saved_at=saved_at)


def _posted(field) -> bool:
    """Whether the post carries the field. Unticked boxes and an empty multiple choice send
    nothing, so for them silence means "none"; any other field absent is left as saved."""
    if isinstance(field, SelectMultipleField):
        return True
    if isinstance(field, FieldList):
        return any(key.startswith(f"{field.name}-") for key in request.form)
    return bool(field.raw_data)


def _errors(form) -> dict:
    """{field id: [(label, message), ...]} of the fields in error, nested rows included, in
    the form's order; never the CSRF token (checked before the view runs)."""
    found = {}

    def walk(fields):
        for field in fields:
            if isinstance(field, FormField):
                walk(field.form)
            elif isinstance(field, FieldList):
                walk(field.entries)
            elif field.errors and field.name != "csrf_token":
                found[field.id] = [(field.label.text, message) for message in field.errors]

    walk(form)
    return found


def _kept_for_later(page: str):
    """No session or no log-in: keep the post for `page` (stash.py) and say how to get it back."""
    token = stash_posted_form(page)
    restore = f"{page}?restore={token}" if token else page
    if current_user.is_authenticated:  # the log-in holds, the page's token does not
        return problem(403, "Forbidden", _("This page is out of date. Reload it: what you typed is kept."),
                       link={"href": restore, "text": _("Reload the page")}, kept=token is not None)
    detail = (_("Your session has expired. Sign in again: what you typed is kept.") if token else
              _("Your session has expired. Copy what you typed, then sign in again."))
    return problem(401, "Unauthorized", detail, kept=token is not None,
                   link={"href": url_for("accounts.login", next=restore), "text": _("Sign in again")})


@bp.errorhandler(CSRFError)
def _session_gone(error):
    args = request.view_args or {}
    if args.get("section") not in SECTION_FORMS:
        return problem(404, "Not Found", _("No such section."))
    return _kept_for_later(_page(args["proposal_id"], args["section"]))


@bp.errorhandler(DomainError)
def _refused(error):
    db.session.rollback()
    return problem(error.status, error.title, error.detail, errors=error.errors)


@bp.errorhandler(HTTPException)
def _http_error(error):
    detail = _("The request is too large.") if error.code == 413 else (error.description or error.name)
    return problem(error.code, error.name, detail)
