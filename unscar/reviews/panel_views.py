"""The secretariat's review pages: a call's panel, and the progress of its assignments with
automatic and manual assignment and returning a review.

The progress page's figures are GROUP BY queries; its query count does not grow with the
number of proposals or reviewers (tests/test_reviews_pages.py counts them).
"""
from collections import defaultdict

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import selectinload

from ..accounts.models import Organisation, User, UserRole
from ..calls.queries import get_call_or_404
from ..errors import DomainError, NotFound
from ..extensions import db
from ..permissions import role_required
from ..proposals.models import Proposal, ProposalStatus
from ..roles import STAFF_ROLES
from ..vocabulary import Role
from . import assigning, panels, services
from .blueprint import bp
from .forms import AssignForm, AutoAssignForm, PanelForm, ReasonForm
from .models import Assignment, AssignmentStatus, PanelMember, Review, ReviewerProfile

# Proposals that reached the review: under review, or decided after it.
REVIEWED_STATES = (ProposalStatus.under_review, ProposalStatus.recommended, ProposalStatus.not_recommended,
                   ProposalStatus.approved, ProposalStatus.rejected)
SHORT_LISTED = 10  # proposals named in the message after an automatic run; the table shows them all


def _count(condition):
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _done():
    """A review that counts: submitted, not voided, on an active assignment."""
    return and_(Assignment.status == AssignmentStatus.active, Review.submitted_at.is_not(None),
                Review.voided_at.is_(None))


def _counts():
    return (_count(Assignment.status == AssignmentStatus.active).label("active"),
            _count(Assignment.status == AssignmentStatus.declined).label("declined"),
            _count(Assignment.status == AssignmentStatus.conflicted).label("conflicted"),
            _count(Assignment.status == AssignmentStatus.removed).label("removed"),
            _count(_done()).label("submitted"))


def call_totals(call_id: int):
    return db.session.execute(select(func.count(Assignment.id).label("assignments"), *_counts())
                              .select_from(Assignment).outerjoin(Review, Review.assignment_id == Assignment.id)
                              .where(Assignment.call_id == call_id)).one()


def proposal_progress(call_id: int) -> list:
    """Per proposal that reached the review: its counts, in reference order."""
    on_call = and_(Assignment.proposal_id == Proposal.id, Assignment.call_id == call_id)
    assigned = select(Assignment.proposal_id).where(Assignment.call_id == call_id)
    stmt = (select(Proposal.id, Proposal.reference, Proposal.title, Proposal.status,
                   Organisation.name.label("organisation"), *_counts())
            .join(Organisation, Organisation.id == Proposal.organisation_id)
            .outerjoin(Assignment, on_call).outerjoin(Review, Review.assignment_id == Assignment.id)
            .where(Proposal.call_id == call_id, Proposal.deleted_at.is_(None),
                   or_(Proposal.status.in_(REVIEWED_STATES), Proposal.id.in_(assigned)))
            .group_by(Proposal.id, Proposal.reference, Proposal.title, Proposal.status, Organisation.name)
            .order_by(Proposal.reference))
    return db.session.execute(stmt).all()


def reviewer_load(call_id: int) -> list:
    """Per reviewer on the panel or assigned in the call: load and answers."""
    on_call = and_(Assignment.reviewer_id == User.id, Assignment.call_id == call_id)
    involved = or_(User.id.in_(select(Assignment.reviewer_id).where(Assignment.call_id == call_id)),
                   User.id.in_(select(PanelMember.user_id).where(PanelMember.call_id == call_id)))
    stmt = (select(User.id, User.name, *_counts()).select_from(User)
            .outerjoin(Assignment, on_call).outerjoin(Review, Review.assignment_id == Assignment.id)
            .where(involved).group_by(User.id, User.name).order_by(User.name, User.id))
    return db.session.execute(stmt).all()


def assignment_rows(call_id: int) -> dict[int, list]:
    """Each proposal's assignments with the reviewer's name and the review's state."""
    stmt = (select(Assignment.id, Assignment.proposal_id, Assignment.status, Assignment.reason,
                   User.name.label("reviewer"), Review.id.label("review_id"), Review.submitted_at, Review.voided_at)
            .join(User, User.id == Assignment.reviewer_id).outerjoin(Review, Review.assignment_id == Assignment.id)
            .where(Assignment.call_id == call_id).order_by(Assignment.id))
    rows = defaultdict(list)
    for row in db.session.execute(stmt):
        rows[row.proposal_id].append(row)
    return rows


def active_reviewers() -> list:
    """(id, name) of every active user holding the reviewer role, by name."""
    return db.session.execute(select(User.id, User.name).join(UserRole, UserRole.user_id == User.id)
                              .where(UserRole.role == Role.reviewer, User.active.is_(True))
                              .order_by(User.name, User.id)).all()


def _render_progress(call, auto_form=None, assign_form=None, status=200):
    proposals = proposal_progress(call.id)
    assign_form = assign_form or AssignForm()
    assign_form.proposal_id.choices = [(p.id, f"{p.reference}: {p.title}") for p in proposals
                                       if p.status == ProposalStatus.under_review]
    assign_form.reviewer_id.choices = [(r.id, r.name) for r in active_reviewers()]
    return render_template("reviews/assignments.html", call=call, totals=call_totals(call.id)._mapping, proposals=proposals,
                           rows=assignment_rows(call.id), load=reviewer_load(call.id),
                           auto_form=auto_form or AutoAssignForm(), assign_form=assign_form,
                           return_form=ReasonForm(prefix="return"), remove_form=ReasonForm(prefix="remove")), status


@bp.get("/calls/<int:call_id>/assignments")
@role_required(*STAFF_ROLES)
def assignments(call_id):
    return _render_progress(get_call_or_404(current_user, call_id))


def _short_message(short: list[tuple[int, int]], target: int) -> str:
    """Says how many reviewers each short proposal has of the number asked for (which may differ
    from the call's when the form asked for another), and what to do about it."""
    references = dict(db.session.execute(select(Proposal.id, Proposal.reference)
                                         .where(Proposal.id.in_([p for p, _missing in short]))).all())
    named = "; ".join(_("%(reference)s has %(count)d", reference=references[p], count=target - m)
                      for p, m in short[:SHORT_LISTED])
    if len(short) > SHORT_LISTED:
        named = ngettext("%(named)s, and %(num)d more", "%(named)s, and %(num)d more", len(short) - SHORT_LISTED,
                         named=named)
    # Two counts, two plurals: the reviewers asked for go in as a phrase of their own.
    asked = ngettext("the %(num)d reviewer asked for", "the %(num)d reviewers asked for", target)
    return " ".join((
        ngettext("%(num)d proposal got fewer than %(asked)s: %(named)s.",
                 "%(num)d proposals got fewer than %(asked)s: %(named)s.", len(short), asked=asked, named=named),
        _("No other reviewer of the panel is free of conflicts and reads the proposal's language: add reviewers "
          "to the panel, or assign one by hand.")))


@bp.post("/calls/<int:call_id>/assignments/auto")
@role_required("secretariat")
def auto_assign(call_id):
    call = get_call_or_404(current_user, call_id)
    form = AutoAssignForm()
    if not form.validate_on_submit():
        return _render_progress(call, auto_form=form, status=422)
    if not panels.panel_ids(call):
        flash(_("Nothing was assigned: the review panel has no reviewers. Choose them on the panel page first."),
              "danger")
        return redirect(url_for("reviews.assignments", call_id=call.id))
    target = form.reviewers_per_proposal.data or call.reviewers_per_proposal
    try:
        created, short = assigning.auto_assign(current_user, call, per_proposal=form.reviewers_per_proposal.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.detail, "danger")
    else:
        message = _short_message(short, target) if short else ""
        db.session.commit()
        if created:
            flash(ngettext("Created %(num)d assignment.", "Created %(num)d assignments.", len(created)), "success")
        elif not short:
            flash(ngettext("Nothing to assign: every proposal under review already has %(num)d reviewer.",
                           "Nothing to assign: every proposal under review already has %(num)d reviewers.", target),
                  "info")
        else:
            flash(_("No assignment was created."), "warning")
        if message:
            flash(message, "warning")
    return redirect(url_for("reviews.assignments", call_id=call.id))


@bp.post("/calls/<int:call_id>/assignments")
@role_required("secretariat")
def assign(call_id):
    call = get_call_or_404(current_user, call_id)
    form = AssignForm()
    form.proposal_id.validate_choice = form.reviewer_id.validate_choice = False  # the service judges the ids
    if form.validate_on_submit():
        try:
            assignment = assigning.assign_reviewer(current_user, call, form.reviewer_id.data, form.proposal_id.data)
        except DomainError as error:
            db.session.rollback()
            flash(_("Not assigned: %(reason)s", reason=error.detail), "danger")
        else:
            db.session.commit()
            flash(_("%(reviewer)s is assigned to %(reference)s.", reviewer=assignment.reviewer.name,
                    reference=assignment.proposal.reference), "success")
    else:
        flash(_("Choose a proposal and a reviewer."), "danger")
    return redirect(url_for("reviews.assignments", call_id=call.id))


def _act_with_reason(assignment_id: int, prefix: str, act, missing: str, done):
    """The secretariat's actions on one assignment that need a reason (return its review,
    remove it): `act(actor, assignment, reason)` decides; `done(assignment)` says what happened."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound(_("No such assignment."))
    form = ReasonForm(prefix=prefix)
    if not form.validate_on_submit():
        flash(missing, "danger")
    else:
        try:
            act(current_user, assignment, form.reason.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.detail, "danger")
        else:
            db.session.commit()
            flash(done(assignment), "success")
    return redirect(url_for("reviews.assignments", call_id=assignment.call_id))


@bp.post("/assignments/<int:assignment_id>/return")
@role_required("secretariat")
def return_review(assignment_id):
    return _act_with_reason(assignment_id, "return", services.return_review,
                            _("Give the reviewer a reason to return the review."),
                            lambda a: _("The review is returned to its reviewer as a draft."))


@bp.post("/assignments/<int:assignment_id>/remove")
@role_required("secretariat")
def remove_assignment(assignment_id):
    return _act_with_reason(assignment_id, "remove", assigning.remove_assignment,
                            _("Give a reason to remove the assignment."),
                            lambda a: _("%(reviewer)s is removed from %(reference)s; a review they held no longer "
                                        "counts.", reviewer=a.reviewer.name, reference=a.proposal.reference))


def reviewer_profiles(ids) -> tuple[dict, dict]:
    """Profiles by user id and the names of their linked organisations: two queries."""
    profiles = {p.user_id: p for p in db.session.scalars(
        select(ReviewerProfile).where(ReviewerProfile.user_id.in_(ids)).options(selectinload(ReviewerProfile.links)))}
    org_ids = {link.organisation_id for p in profiles.values() for link in p.links}
    names = dict(db.session.execute(select(Organisation.id, Organisation.name)
                                    .where(Organisation.id.in_(org_ids))).all()) if org_ids else {}
    return profiles, names


def _render_panel(call, form=None, status=200):
    reviewers = active_reviewers()
    form = form or PanelForm(data={"reviewer_ids": panels.panel_ids(call)})
    form.reviewer_ids.choices = [(r.id, r.name) for r in reviewers]
    profiles, organisations = reviewer_profiles([r.id for r in reviewers])
    return render_template("reviews/panel.html", call=call, form=form, reviewers=reviewers, profiles=profiles,
                           organisations=organisations), status


@bp.get("/calls/<int:call_id>/panel")
@role_required(*STAFF_ROLES)
def panel(call_id):
    return _render_panel(get_call_or_404(current_user, call_id))


@bp.post("/calls/<int:call_id>/panel")
@role_required("secretariat")
def set_panel(call_id):
    call = get_call_or_404(current_user, call_id)
    form = PanelForm()
    form.reviewer_ids.validate_choice = False  # the service refuses those who are not reviewers
    if form.validate_on_submit():
        try:
            # No field at all (a post without the form's own boxes) is no reviewer, not None.
            ids = panels.set_panel(current_user, call, form.reviewer_ids.data or [])
        except DomainError as error:
            db.session.rollback()
            flash(error.detail, "danger")
            return _render_panel(call, form, status=error.status)
        db.session.commit()
        if ids:
            flash(ngettext("The panel has %(num)d reviewer.", "The panel has %(num)d reviewers.", len(ids)), "success")
        else:
            flash(_("The panel is now empty: no reviewer can be assigned to this call's proposals until you "
                    "tick at least one reviewer and save."), "warning")
        return redirect(url_for("reviews.panel", call_id=call.id))
    return _render_panel(call, form, status=422)
