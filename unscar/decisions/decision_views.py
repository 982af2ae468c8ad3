"""The decision pages: donors endorse an adopted recommendation; the secretariat records the
donors' decision on each proposal of a call, seeing the money left after each one."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload

from ..errors import DomainError, NotFound
from ..extensions import db
from ..forms import show_domain_error
from ..funds.services import available_usd
from ..permissions import role_required
from ..proposals.models import Proposal
from ..proposals.queries import get_proposal_or_404
from ..roles import RANKING_ROLES
from . import recording, services
from .blueprint import bp
from .forms import DecisionForm, EndorseForm
from .models import Decision, Endorsement
from .queries import get_ranked_call_or_404, get_recommendation_or_404


def _decision_page(call, forms: dict | None = None, status: int = 200):
    rows, proposals = services.call_ranking(call)
    stored = services.latest_recommendation(call)
    decided = db.session.scalars(select(Decision).join(Decision.proposal).where(Proposal.call_id == call.id)
                                 .options(contains_eager(Decision.proposal), joinedload(Decision.grant))
                                 .order_by(Decision.decided_at)).all()
    endorsements = db.session.scalars(select(Endorsement).where(Endorsement.recommendation_id == stored.id)
                                      .order_by(Endorsement.created_at)).all() if stored else []
    forms = forms or {}
    for pid, proposal in proposals.items():
        if pid not in forms:
            forms[pid] = DecisionForm(prefix=f"p{pid}", data={
                "approved_usd": f"{proposal.requested_usd:.2f}"})
    selected = set(stored.result["selected"]) if stored and stored.adopted_at else set()
    return render_template("decisions/decisions.html", call=call, rows=rows, proposals=proposals, stored=stored,
                           selected=selected, decided=decided, endorsements=endorsements, forms=forms,
                           available=available_usd(), endorse_form=EndorseForm()), status


@bp.get("/calls/<int:call_id>/decisions")
@role_required(*RANKING_ROLES)
def decisions(call_id):
    return _decision_page(get_ranked_call_or_404(current_user, call_id))


@bp.post("/calls/<int:call_id>/decisions/<int:proposal_id>")
@role_required("secretariat")
def decide(call_id, proposal_id):
    call = get_ranked_call_or_404(current_user, call_id)
    proposal = get_proposal_or_404(current_user, proposal_id, details=False)
    if proposal.call_id != call.id:
        raise NotFound(_("No such proposal in this call."))
    form = DecisionForm(prefix=f"p{proposal_id}")
    if form.validate_on_submit():
        amount = form.approved_usd.data if form.outcome.data == "approved" else None
        try:
            recording.record_decision(current_user, proposal, form.outcome.data, amount, form.rationale.data.strip(),
                                      (form.meeting_ref.data or "").strip())
        except DomainError as error:
            db.session.rollback()
            show_domain_error(form, error)
            flash(_("%(reference)s: %(error)s", reference=proposal.reference, error=error.detail), "danger")
            return _decision_page(get_ranked_call_or_404(current_user, call_id), {proposal_id: form}, error.status)
        db.session.commit()
        flash(_("The decision on %(reference)s is recorded and its applicant is told.", reference=proposal.reference),
              "success")
        return redirect(url_for("decisions.decisions", call_id=call.id) + f"#p{proposal_id}")
    return _decision_page(call, {proposal_id: form}, 422)


@bp.post("/calls/<int:call_id>/recommendation/<int:rec_id>/endorse")
@role_required("donor")
def endorse(call_id, rec_id):
    call = get_ranked_call_or_404(current_user, call_id)
    stored = get_recommendation_or_404(call, rec_id)
    form = EndorseForm()
    if form.validate_on_submit():
        try:
            _endorsement, new = recording.endorse_recommendation(current_user, stored, form.comment.data or "")
        except DomainError as error:
            db.session.rollback()
            flash(error.detail, "danger")
        else:
            db.session.commit()
            flash(_("Your endorsement is recorded.") if new else _("You had already endorsed this recommendation."),
                  "success")
    return redirect(url_for("decisions.decisions", call_id=call.id))
