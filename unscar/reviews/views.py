"""Reviewers' pages: their assignments, the call's declaration, a proposal to review with
the review form, declining and declaring a conflict, and the proposal's files.

When the call is blind, nothing here names the applicant organisation: not its name,
country or people, not the files' names, not the history's actors (DESIGN.md).
The secretariat's pages are in panel_views.py and the profiles in profile_views.py,
on the same blueprint.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..calls.models import Call
from ..calls.queries import get_call_or_404
from ..errors import DomainError, NotFound
from ..extensions import db
from ..forms import show_domain_error
from ..permissions import role_required
from ..proposals.budget import summarise
from ..proposals.models import Proposal, StatusChange
from ..redirects import safe_next
from . import assigning, blind, panel_views, panels, profile_views, services  # noqa: F401  (register the secretariat's and profile pages)
from .blueprint import bp
from .forms import DeclarationForm, ReasonForm, review_form_for
from .models import Assignment, AssignmentStatus, Declaration, Review
from .permissions import is_on_call, is_own_active


def get_assignment_or_404(assignment_id: int, details: bool = False) -> Assignment:
    """The signed-in reviewer's own active assignment, with its proposal, call and review."""
    proposal = joinedload(Assignment.proposal)
    options = [proposal.joinedload(Proposal.call).selectinload(Call.criteria),
               joinedload(Assignment.review).selectinload(Review.scores)]
    if details:
        options += [proposal.joinedload(Proposal.organisation), proposal.selectinload(Proposal.budget_lines),
                    proposal.selectinload(Proposal.attachments),
                    proposal.selectinload(Proposal.history).joinedload(StatusChange.actor)]
    assignment = db.session.scalar(select(Assignment).where(Assignment.id == assignment_id).options(*options))
    if assignment is None or not is_own_active(current_user, assignment) \
            or assignment.proposal.deleted_at is not None:
        raise NotFound(_("No such assignment."))
    return assignment


@bp.get("/")
@role_required("reviewer")
def index():
    assignments = db.session.scalars(
        select(Assignment).where(Assignment.reviewer_id == current_user.id)
        .options(joinedload(Assignment.proposal).joinedload(Proposal.call), joinedload(Assignment.review))
        .order_by(Assignment.created_at.desc(), Assignment.id.desc())).all()
    declared = set(db.session.scalars(select(Declaration.call_id).where(Declaration.user_id == current_user.id)))
    active = [a for a in assignments if a.status == AssignmentStatus.active]
    # A submitted review is done: it leaves "To review" (a returned one comes back as a draft).
    done = [a for a in active if a.review is not None and a.review.submitted_at and not a.review.voided_at]
    to_review = [a for a in active if a not in done]
    closed = [a for a in assignments if a.status != AssignmentStatus.active]
    return render_template("reviews/index.html", active=to_review, submitted=done, closed=closed, declared=declared)


@bp.route("/calls/<int:call_id>/declaration", methods=["GET", "POST"])
@role_required("reviewer")
def declaration(call_id):
    call = get_call_or_404(current_user, call_id)
    if not is_on_call(current_user, call):
        raise NotFound(_("No such call for this reviewer."))
    signed = db.session.scalar(select(Declaration).where(Declaration.call_id == call.id,
                                                         Declaration.user_id == current_user.id))
    form = DeclarationForm()
    if signed is None and form.validate_on_submit():
        try:
            panels.sign_declaration(current_user, call)
        except DomainError as error:
            db.session.rollback()
            flash(error.detail, "danger")
        else:
            db.session.commit()
            flash(_("You signed the declaration for this call."), "success")
            return redirect(safe_next(url_for("reviews.index")))
    return render_template("reviews/declaration.html", call=call, signed=signed, form=form,
                           next=safe_next(""))


def _render_detail(assignment: Assignment, form=None, decline_form=None, conflict_form=None, status=200):
    proposal = assignment.proposal
    return render_template(
        "reviews/detail.html", assignment=assignment, proposal=proposal, call=proposal.call,
        review=assignment.review, form=form or review_form_for(proposal.call, assignment.review),
        decline_form=decline_form or ReasonForm(prefix="decline"),
        conflict_form=conflict_form or ReasonForm(prefix="conflict"),
        budget=summarise(proposal.budget_lines), files=_file_links(assignment), status=None,
        anonymised=blind.sees_anonymised(current_user, proposal), history=blind.reviewer_history(proposal)), status


def _file_links(assignment: Assignment) -> list[dict]:
    proposal = assignment.proposal
    return [{**row, "url": url_for("reviews.attachment", assignment_id=assignment.id, attachment_id=row["file"].id)}
            for row in blind.reviewer_files(proposal, blind.sees_anonymised(current_user, proposal))]


def _review_error_fields(call) -> dict[str, str]:
    return {f"scores.{c.id}": f"score_{c.id}" for c in call.criteria}


@bp.route("/assignments/<int:assignment_id>", methods=["GET", "POST"])
@role_required("reviewer")
def detail(assignment_id):
    assignment = get_assignment_or_404(assignment_id, details=True)
    call = assignment.proposal.call
    if not panels.has_declared(current_user, call):
        flash(_("Sign the call's confidentiality and conflict-of-interest declaration first."), "info")
        return redirect(url_for("reviews.declaration", call_id=call.id, next=request.path))
    form = review_form_for(call, assignment.review)
    if form.validate_on_submit():
        submit = bool(form.submit_review.data)
        try:
            services.save_review(current_user, assignment, *form.values(call), submit=submit)
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error, _review_error_fields(call))
            flash(error.detail, "danger")
            return _render_detail(get_assignment_or_404(assignment_id, details=True), form=form,
                                  status=error.status)
        db.session.commit()
        flash(_("Your review is submitted.") if submit else _("Your draft is saved."), "success")
        return redirect(url_for("reviews.index") if submit else url_for("reviews.detail", assignment_id=assignment_id))
    return _render_detail(assignment, form=form)


def _close_assignment(assignment_id: int, kind: str, close, done: str):
    """Decline or declare a conflict, with a reason; access ends with it."""
    assignment = get_assignment_or_404(assignment_id, details=True)
    form = ReasonForm(prefix=kind)
    if not form.validate_on_submit():
        return _render_detail(assignment, **{f"{kind}_form": form}, status=422)
    try:
        close(current_user, assignment, form.reason.data)
    except DomainError as error:
        db.session.rollback()
        flash(error.detail, "danger")
        return redirect(url_for("reviews.detail", assignment_id=assignment_id))
    db.session.commit()
    flash(done, "success")
    return redirect(url_for("reviews.index"))


@bp.post("/assignments/<int:assignment_id>/decline")
@role_required("reviewer")
def decline(assignment_id):
    return _close_assignment(assignment_id, "decline", assigning.decline_assignment,
                             _("You declined the assignment; the secretariat will find another reviewer."))


@bp.post("/assignments/<int:assignment_id>/conflict")
@role_required("reviewer")
def conflict(assignment_id):
    return _close_assignment(assignment_id, "conflict", assigning.declare_conflict,
                             _("You declared a conflict of interest; the proposal is no longer available to you."))


@bp.get("/assignments/<int:assignment_id>/attachments/<int:attachment_id>")
@role_required("reviewer")
def attachment(assignment_id, attachment_id):
    assignment = get_assignment_or_404(assignment_id, details=True)
    if not panels.has_declared(current_user, assignment.proposal.call):
        raise NotFound(_("No such attachment."))
    proposal = assignment.proposal
    return blind.send_to_reviewer(proposal, attachment_id, blind.sees_anonymised(current_user, proposal))

