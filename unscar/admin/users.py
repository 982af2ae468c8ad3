"""User administration pages (API.md "Accounts"): the list of users with search and
filters, and a user's page to change roles, (de)activate the account and mail a password
reset. Each change calls the same service as the API (accounts/admin.py), which checks the
administrator, writes the audit event and refuses an administrator's own lock-out."""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..accounts import admin as accounts_admin
from ..accounts.models import User
from ..errors import DomainError, Throttled
from ..extensions import db
from ..forms import show_domain_error
from ..funds.models import Donor
from ..permissions import role_required
from .forms import ActiveForm, ResetForm, RolesForm, UserFilterForm
from .views import bp

PER_PAGE = 50


def _donor_names(users) -> dict[int, str]:
    """The donors the users speak for, in one statement for the whole page."""
    ids = {user.donor_id for user in users if user.donor_id}
    if not ids:
        return {}
    return dict(db.session.execute(select(Donor.id, Donor.name).where(Donor.id.in_(ids))).all())


def _clamped_page(stmt):
    """A page of the list; a page number past the last shows the last page."""
    page = db.paginate(stmt, per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
    if page.pages and page.page > page.pages:
        page = db.paginate(stmt, page=page.pages, per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
    return page


@bp.get("/users/")
@role_required("admin")
def users():
    form = UserFilterForm(request.args)
    stmt = accounts_admin.users_query(current_user, **form.filters()).options(joinedload(User.organisation))
    page = _clamped_page(stmt)
    return render_template("admin/users.html", form=form, page=page, donors=_donor_names(page.items))


def _render_user(user: User, roles_form=None, status: int = 200):
    roles_form = roles_form or RolesForm(roles=user.roles)
    donor = db.session.get(Donor, user.donor_id) if user.donor_id else None
    return render_template("admin/user.html", user=user, donor=donor, roles_form=roles_form,
                           active_form=ActiveForm(active="1" if not user.active else "0"),
                           reset_form=ResetForm()), status


@bp.get("/users/<int:user_id>")
@role_required("admin")
def user(user_id):
    return _render_user(accounts_admin.get_user(current_user, user_id))


@bp.post("/users/<int:user_id>/roles")
@role_required("admin")
def change_roles(user_id):
    target = accounts_admin.get_user(current_user, user_id)
    form = RolesForm()
    if form.validate_on_submit():
        try:
            accounts_admin.update_user(current_user, target, roles=form.roles.data)
        except DomainError as error:
            db.session.rollback()
            if not show_domain_error(form, error):
                flash(error.detail, "danger")
        else:
            name = target.name
            db.session.commit()
            flash(_("The roles of %(name)s are saved.", name=name), "success")
            return redirect(url_for("admin.user", user_id=user_id))
    target = accounts_admin.get_user(current_user, user_id)
    return _render_user(target, roles_form=form, status=422)


@bp.post("/users/<int:user_id>/active")
@role_required("admin")
def set_active(user_id):
    target = accounts_admin.get_user(current_user, user_id)
    form = ActiveForm()
    if not form.validate_on_submit():
        flash(_("The form has expired or was changed; try again."), "danger")
        return redirect(url_for("admin.user", user_id=user_id))
    active = form.active.data == "1"
    try:
        accounts_admin.update_user(current_user, target, active=active)
    except DomainError as error:
        db.session.rollback()
        flash(error.detail, "danger")
    else:
        name = target.name
        db.session.commit()
        flash(_("%(name)s can sign in again.", name=name) if active else
              _("%(name)s is deactivated: their sessions and API tokens have ended.", name=name), "success")
    return redirect(url_for("admin.user", user_id=user_id))


@bp.post("/users/<int:user_id>/password-reset")
@role_required("admin")
def send_reset(user_id):
    target = accounts_admin.get_user(current_user, user_id)
    if not ResetForm().validate_on_submit():
        flash(_("The form has expired; try again."), "danger")
        return redirect(url_for("admin.user", user_id=user_id))
    try:
        accounts_admin.send_password_reset(current_user, target)
    except Throttled as error:
        db.session.rollback()
        flash(ngettext("%(reason)s Try again in about %(num)d minute.", "%(reason)s Try again in about %(num)d minutes.",
                       error.retry_after // 60 + 1, reason=error.detail), "danger")
    except DomainError as error:
        db.session.rollback()
        flash(f"{error.detail} {' '.join(m for ms in (error.errors or {}).values() for m in ms)}".strip(), "danger")
    else:
        email = target.email
        db.session.commit()
        flash(_("A password reset link is on its way to %(email)s. It is not shown here.", email=email), "success")
    return redirect(url_for("admin.user", user_id=user_id))
