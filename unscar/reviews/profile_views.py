"""Reviewer profiles: expertise, languages and links to organisations, kept by the
reviewer (/reviews/profile) or the secretariat (/reviews/reviewers/<id>/profile).

Links name organisations by their registered name. Only staff get the list of names to
pick from: a reviewer's pages never list organisations, so a blind review's applicant
is never among the names a reviewer's page holds.
"""
from collections import defaultdict

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from ..accounts.models import Organisation, User
from ..errors import DomainError, NotFound
from ..extensions import db
from ..forms import show_domain_error
from ..permissions import has_role, role_required
from ..roles import STAFF_ROLES
from . import panels
from .blueprint import bp
from .forms import ReviewerProfileForm
from .permissions import can_edit_reviewer_profile


def _form_for(profile) -> ReviewerProfileForm:
    if profile is None:
        return ReviewerProfileForm()
    names = dict(db.session.execute(select(Organisation.id, Organisation.name).where(
        Organisation.id.in_([link.organisation_id for link in profile.links]))).all())
    return ReviewerProfileForm(data={"themes": profile.themes, "regions": profile.regions, "languages": profile.languages,
                             "links": [{"organisation": names.get(link.organisation_id, ""), "kind": link.kind.value}
                                       for link in profile.links]})


def resolve_links(form: ReviewerProfileForm) -> list[dict] | None:
    """The rows' organisation names as ids (one query); None, with the errors on the rows, when a
    name matches no organisation or several."""
    rows = form.link_rows()
    wanted = {name.lower() for _index, name, _kind in rows}
    matches = defaultdict(list)
    if wanted:
        for org_id, name in db.session.execute(select(Organisation.id, Organisation.name)
                                               .where(func.lower(Organisation.name).in_(wanted))):
            matches[name.lower()].append(org_id)
    links = []
    for index, name, kind in rows:
        found = matches.get(name.lower(), [])
        if len(found) != 1:
            form.links[index].organisation.errors = [
                _("No registered organisation has this name.") if not found
                else _("Several organisations have this name; ask the secretariat to record this link.")]
        else:
            links.append({"organisation_id": found[0], "kind": kind})
    return None if any(form.links[i].organisation.errors for i, _name, _kind in rows) else links


def _profile_page(reviewer: User, done_url: str):
    profile = panels.get_profile(reviewer.id)
    form = _form_for(profile)  # a posted form overrides these values
    if form.validate_on_submit():
        links = resolve_links(form)
        if links is not None:
            try:
                panels.save_profile(current_user, reviewer, form.themes.data, form.regions.data,
                                    form.languages.data, links)
            except DomainError as error:
                db.session.rollback()
                show_domain_error(form, error)
                flash(error.detail, "danger")
            else:
                db.session.commit()
                flash(_("The reviewer profile is saved."), "success")
                return redirect(done_url)
    form.add_blank_links()
    staff = has_role(current_user, *STAFF_ROLES)
    organisation_names = db.session.scalars(select(Organisation.name).order_by(Organisation.name)).all() \
        if staff else []
    return render_template("reviews/profile.html", reviewer=reviewer, form=form, own=reviewer.id == current_user.id,
                           organisation_names=organisation_names)


@bp.route("/profile", methods=["GET", "POST"])
@role_required("reviewer")
def profile():
    return _profile_page(current_user, url_for("reviews.profile"))


@bp.route("/reviewers/<int:user_id>/profile", methods=["GET", "POST"])
@role_required("reviewer", *STAFF_ROLES)
def reviewer_profile(user_id):
    reviewer = db.session.get(User, user_id)
    if reviewer is None or not can_edit_reviewer_profile(current_user, reviewer):
        raise NotFound(_("No such reviewer."))
    return _profile_page(reviewer, url_for("reviews.reviewer_profile", user_id=user_id))
