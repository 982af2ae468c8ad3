"""Pages: log-in, log-out, registration, passwords, the organisation's members, staff users."""
from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import i18n
from ..errors import DomainError, NotFound, Throttled
from ..extensions import db
from ..files import send_stored
from ..forms import show_domain_error
from ..permissions import role_required
from ..redirects import safe_next
from . import admin, documents, services, sessions
from .forms import (CreateUserForm, InviteForm, LoginForm, PasswordChangeForm, PasswordResetRequestForm,
                    PasswordSetForm, ProfileForm, RegisterForm)
from .models import Organisation, User

bp = Blueprint("accounts", __name__)


load_user = sessions.load_user  # registered with Flask-Login by the factory


def _minutes(error: Throttled) -> int:
    """The wait a throttle asks for, in whole minutes rounded up (and at least one)."""
    return error.retry_after // 60 + 1


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:  # e.g. signed in again in another tab
        return redirect(safe_next(url_for("home.index")))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except Throttled as error:
            form.email.errors.append(ngettext("Too many failed log-ins for this address. Try again in %(num)d minute.",
                                              "Too many failed log-ins for this address. Try again in %(num)d minutes.",
                                              _minutes(error)))
            db.session.rollback()
            return render_template("accounts/login.html", form=form), 429, {"Retry-After": str(error.retry_after)}
        except services.InvalidCredentials:
            form.password.errors.append(_("Wrong e-mail or password."))
            status = 200
        else:
            sessions.sign_in(user)
            db.session.commit()
            flash(_("Welcome, %(name)s.", name=user.name), "success")
            return redirect(safe_next(url_for("home.index")))
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
def logout():
    sessions.sign_out()
    db.session.commit()
    flash(_("You are signed out."), "info")
    return redirect(url_for("home.index"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            _org, user = services.register_organisation(
                form.organisation_name.data, form.organisation_type.data, form.country.data,
                form.registration_number.data, form.email.data, form.password.data, form.name.data)
        except Throttled as error:
            db.session.rollback()
            flash(error.detail, "danger")
            return render_template("accounts/register.html", form=form), 429, {"Retry-After": str(error.retry_after)}
        except DomainError as error:
            db.session.rollback()
            if not show_domain_error(form, error, {"user.email": "email", "user.password": "password",
                                                   "user.name": "name", "organisation.name": "organisation_name"}):
                flash(error.detail, "danger")
        else:
            # The language the form was read in is the new user's (their pages and e-mails).
            admin.update_me(user, {"language": i18n.current_language()})
            sessions.sign_in(user)
            db.session.commit()
            flash(_("Your organisation is registered. The secretariat will verify it."), "success")
            return redirect(url_for("home.index"))
    return render_template("accounts/register.html", form=form)


@bp.route("/password/change", methods=["GET", "POST"])
@login_required
def change_password():
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            # This browser stays signed in; every other session and API token ends.
            services.change_password(current_user, form.current_password.data, form.password.data,
                                     keep_session_hash=sessions.current_session_hash())
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Your password is changed."), "success")
            return redirect(url_for("home.index"))
    return render_template("accounts/change_password.html", form=form)


@bp.post("/language")
def set_language():
    """The switcher on every page: a signed-in user's choice is kept on the account (and
    used for their e-mails); a visitor's in the session."""
    language = i18n.supported(request.form.get("language"))
    if language is None:
        abort(400, description=_("Choose one of the languages offered."))
    if current_user.is_authenticated:
        admin.update_me(current_user, {"language": language})
        db.session.commit()
    else:
        session[i18n.SESSION_KEY] = language
    return redirect(safe_next(url_for("home.index")))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        try:
            admin.update_me(current_user, {"name": form.name.data, "language": form.language.data or None,
                                           "timezone": form.timezone.data or None})
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=form)


@bp.route("/password/reset", methods=["GET", "POST"])
def request_password_reset():
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        try:
            services.request_password_reset(form.email.data)
        except Throttled as error:
            db.session.rollback()
            form.email.errors.append(ngettext("%(reason)s (in about %(num)d minute)",
                                              "%(reason)s (in about %(num)d minutes)", _minutes(error),
                                              reason=error.detail))
            return (render_template("accounts/request_password_reset.html", form=form), 429,
                    {"Retry-After": str(error.retry_after)})
        db.session.commit()
        flash(_("If an account uses this address, a link to reset the password is on its way."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/request_password_reset.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"], defaults={"purpose": "reset"})
@bp.route("/invitation/<token>", methods=["GET", "POST"], defaults={"purpose": "invite"},
          endpoint="accept_invitation")
def reset_password(token, purpose):
    user = services.user_for_password_token(token, purpose)
    form = PasswordSetForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data, purpose)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("Your password is set. Sign in with it."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form, user=user, purpose=purpose)


@bp.route("/organisation", methods=["GET", "POST"])
@role_required("applicant")
def organisation():
    org = db.session.get(Organisation, current_user.organisation_id) if current_user.organisation_id else None
    if org is None:
        flash(_("Your account belongs to no organisation."), "warning")
        return redirect(url_for("home.index"))
    form = InviteForm(language=i18n.current_language())  # most colleagues read what the inviter reads
    if form.validate_on_submit():
        try:
            services.invite_member(current_user, org, form.email.data, form.name.data,
                                   form.language.data)
        except DomainError as error:
            db.session.rollback()
            if not show_domain_error(form, error):
                flash(error.detail, "danger")
        else:
            db.session.commit()
            flash(_("%(name)s is invited and will receive an e-mail.", name=form.name.data), "success")
            return redirect(url_for("accounts.organisation"))
    members = db.session.scalars(select(User).where(User.organisation_id == org.id, User.active.is_(True))
                                 .order_by(User.name)).all()
    return render_template("accounts/organisation.html", organisation=org, members=members, form=form,
                           manager=services.manager_of(org),
                           documents=documents.documents_of([org.id])[org.id],
                           upload_form=documents.DocumentUploadForm())


@bp.post("/organisation/documents")
@role_required("applicant")
def upload_document():
    org = db.session.get(Organisation, current_user.organisation_id or 0)
    if org is None:
        abort(404)
    form = documents.DocumentUploadForm()
    if not form.validate_on_submit():
        flash(_("Choose a file to upload."), "danger")
        return redirect(url_for("accounts.organisation"))
    try:
        document = documents.add_document(current_user, org, form.file.data.filename, form.file.data.read())
    except DomainError as error:
        db.session.rollback()
        flash(error.detail, "danger")
    else:
        db.session.commit()
        flash(_("%(filename)s is uploaded; the secretariat will see it.", filename=document.filename), "success")
    return redirect(url_for("accounts.organisation"))


@bp.get("/organisation/documents/<int:document_id>")
@login_required
def document(document_id):
    """For the organisation's members and the secretariat; 404 for everyone else."""
    doc = documents.get_document_or_404(current_user, document_id)
    return send_stored(doc.storage_key, doc.filename, doc.media_type, doc.sha256)


@bp.post("/organisation/members/<int:user_id>/remove")
@role_required("applicant")
def remove_member(user_id):
    org = db.session.get(Organisation, current_user.organisation_id or 0)
    if org is None:
        abort(404)
    try:
        services.remove_member(current_user, org, user_id)
    except NotFound:
        raise  # another organisation's user answers as one that does not exist (DESIGN.md)
    except DomainError as error:
        db.session.rollback()
        flash(error.detail, "danger")
    else:
        db.session.commit()
        flash(_("The colleague is removed."), "success")
    return redirect(url_for("accounts.organisation"))


@bp.route("/users/new", methods=["GET", "POST"])
@role_required("admin")
def create_user():
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(current_user, form.email.data, form.name.data,
                                        form.password.data, form.roles.data)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s can now sign in.", name=user.name), "success")
            return redirect(url_for("accounts.create_user"))
    return render_template("accounts/create_user.html", form=form)
