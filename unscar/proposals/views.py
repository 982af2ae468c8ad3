"""Pages of proposals: the organisation's list, a proposal's page, its transitions and its
printable view. The section editors are in editor.py, on the same blueprint."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from ..calls.queries import get_call_or_404
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..files import send_stored
from ..inputs import int_arg
from ..permissions import role_required
from . import (
    autosave,  # noqa: F401  (nests the editor's autosave routes in bp)
    editor,  # noqa: F401  (registers the section editors on bp)
    services,
    under_review,  # noqa: F401  (registers the donors' list on bp)
)
from .blueprint import bp
from .budget import summarise
from .forms import WithdrawForm
from .models import Proposal
from .permissions import can_see_checks, shown_status, visible_proposals
from .queries import get_attachment_or_404, get_proposal_or_404, history_for

__all__ = ["bp"]
PER_PAGE = 25


@bp.get("/")
@role_required("applicant")
def index():
    """The organisation's proposals, newest first: two queries whatever the page holds."""
    stmt = (visible_proposals(current_user).where(Proposal.organisation_id == current_user.organisation_id)
            .options(joinedload(Proposal.call)).order_by(Proposal.id.desc()))
    page = db.paginate(stmt, per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
    return render_template("proposals/index.html", page=page)


def _view_context(proposal: Proposal) -> dict:
    """What proposals/_view.html shows, for the detail page and the printable view."""
    return {"proposal": proposal, "history": history_for(current_user, proposal),
            "status": shown_status(current_user, proposal), "budget": summarise(proposal.budget_lines)}


def _render_detail(proposal: Proposal, refused: list | None = None):
    checks = services.current_checks(proposal) if can_see_checks(current_user, proposal) else None
    return render_template("proposals/detail.html", checks=checks, refused=refused, withdraw_form=WithdrawForm(),
                           **_view_context(proposal))


@bp.get("/<int:proposal_id>")
@login_required
def detail(proposal_id):
    return _render_detail(get_proposal_or_404(current_user, proposal_id))


@bp.get("/<int:proposal_id>/print")
@login_required
def print_view(proposal_id):
    return render_template("proposals/print.html", **_view_context(get_proposal_or_404(current_user, proposal_id)))


@bp.post("/new")
@role_required("applicant")
def create():
    call = get_call_or_404(current_user, int_arg("call_id") or 0)
    try:
        proposal = services.create_proposal(current_user, call, {})
    except DomainError as error:
        db.session.rollback()
        flash(error.detail, "danger")
        return redirect(url_for("calls.detail", call_id=call.id))
    proposal_id, reference = proposal.id, proposal.reference
    db.session.commit()
    flash(_("Proposal %(reference)s is started as a draft. Save each section as you go; "
            "nothing is submitted until you submit it.", reference=reference), "success")
    return redirect(url_for("proposals.update", proposal_id=proposal_id, section="summary"))


@bp.post("/<int:proposal_id>/submit")
@role_required("applicant")
def submit(proposal_id):
    proposal = get_proposal_or_404(current_user, proposal_id)
    try:
        services.submit_proposal(current_user, proposal)
    except ValidationFailed as error:
        # Shown with the service's own list of problems, then nothing is kept.
        page = _render_detail(get_proposal_or_404(current_user, proposal_id), refused=error.problems)
        db.session.rollback()
        return page, 422
    except DomainError as error:
        db.session.rollback()
        flash(error.detail, "danger")
    else:
        reference = proposal.reference
        db.session.commit()
        flash(_("Proposal %(reference)s is submitted. A receipt is on its way to your organisation.",
                reference=reference), "success")
    return redirect(url_for("proposals.detail", proposal_id=proposal_id))


def _transition(proposal_id: int, change, done: str, then: str | None = None):
    """Load, call one service, commit, flash, redirect: the recipe of the state buttons."""
    proposal = get_proposal_or_404(current_user, proposal_id)
    try:
        change(proposal)
    except DomainError as error:
        db.session.rollback()
        flash(error.detail, "danger")
        return redirect(url_for("proposals.detail", proposal_id=proposal_id))
    db.session.commit()
    flash(done, "success")
    return redirect(then or url_for("proposals.detail", proposal_id=proposal_id))


@bp.post("/<int:proposal_id>/reopen")
@role_required("applicant")
def reopen(proposal_id):
    return _transition(proposal_id, lambda p: services.reopen_proposal(current_user, p),
                       _("The proposal is a draft again. Submit it again before the deadline."))


@bp.post("/<int:proposal_id>/withdraw")
@role_required("applicant")
def withdraw(proposal_id):
    form = WithdrawForm()
    if not form.validate():
        flash(" ".join(map(str, form.reason.errors)) or _("The form has expired; try again."), "danger")
        return redirect(url_for("proposals.detail", proposal_id=proposal_id))
    reason = form.reason.data or None
    return _transition(proposal_id, lambda p: services.withdraw_proposal(current_user, p, reason),
                       _("The proposal is withdrawn."))


@bp.post("/<int:proposal_id>/delete")
@role_required("applicant")
def delete(proposal_id):
    return _transition(proposal_id, lambda p: services.delete_proposal(current_user, p),
                       _("The draft is deleted."), then=url_for("proposals.index"))


@bp.get("/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id):
    """A file of the proposal or of an answer to the secretariat's questions, for those who
    see the proposal by their own right; reviewers download through their assignment."""
    attachment = get_attachment_or_404(current_user, attachment_id)
    return send_stored(attachment.storage_key, attachment.filename, attachment.media_type, attachment.sha256)
