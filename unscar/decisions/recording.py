"""Recording the donors' decisions (DESIGN.md "Decision"): their endorsements of an adopted
recommendation, a record for the file, and the decision on each proposal, which the
secretariat records. An approval creates the grant and commits its money from the fund
in the same transaction; the decision is published to the applicant when recorded."""
from decimal import Decimal

from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import select

from ..audit.services import record_event
from ..dates import utcnow
from ..errors import InvalidTransition, PermissionDenied, ValidationFailed
from ..extensions import db
from ..funds.services import commit_funds, ensure_available
from ..grants.services import create_grant
from ..locking import lock_one
from ..money import group_money
from ..proposals.models import Proposal, ProposalStatus
from ..proposals.services import change_status, mail_members
from ..regions import regions_of
from ..reviews.queries import overall_comments
from ..vocabulary import N_, Labels
from .models import Decision, DecisionOutcome, Endorsement, StoredRecommendation
from .queries import decision_of

# The donors may decide inside or outside the recommendation (DESIGN.md's transitions).
DECIDABLE = (ProposalStatus.under_review, ProposalStatus.recommended, ProposalStatus.not_recommended)
# Why another proposal cannot be decided, a whole sentence per status (for its translators).
UNDECIDABLE = Labels({
    "draft": N_("A draft proposal cannot be decided."),
    "submitted": N_("A submitted proposal cannot be decided."),
    "screened_out": N_("A screened out proposal cannot be decided."),
    "withdrawn": N_("A withdrawn proposal cannot be decided."),
    "approved": N_("An approved proposal cannot be decided."),
    "rejected": N_("A rejected proposal cannot be decided."),
})


def endorse_recommendation(actor, stored: StoredRecommendation, comment: str = "") -> tuple[Endorsement, bool]:
    """A donor endorses an adopted recommendation, once; (the endorsement, whether it is new)."""
    if not actor.has_role("donor"):
        raise PermissionDenied(_("Only donors endorse recommendations."))
    if stored.adopted_at is None:
        raise InvalidTransition(_("Only an adopted recommendation can be endorsed."))
    first = db.session.scalar(select(Endorsement).where(Endorsement.recommendation_id == stored.id,
                                                        Endorsement.user_id == actor.id))
    if first is not None:
        return first, False
    endorsement = Endorsement(recommendation_id=stored.id, user_id=actor.id, comment=comment or "")
    db.session.add(endorsement)
    db.session.flush()
    record_event(actor, "recommendation.endorsed", endorsement, after={"recommendation_id": stored.id})
    return endorsement, True


def _check_amount(proposal: Proposal, outcome: DecisionOutcome, approved_usd: Decimal | None) -> None:
    if outcome == DecisionOutcome.rejected:
        if approved_usd is not None:
            raise ValidationFailed(_("A rejection has no amount."),
                                   errors={"approved_usd": [_("Leave it out for a rejection.")]})
        return
    if approved_usd is None or approved_usd <= 0:
        raise ValidationFailed(_("Give the approved amount."), errors={"approved_usd": [_("Give an amount above 0.")]})
    if approved_usd > proposal.requested_usd:
        requested = group_money(proposal.requested_usd)
        raise ValidationFailed(_("The approved amount may not exceed the request."), errors={"approved_usd": [
            _("At most the USD %(amount)s requested.", amount=requested)]})


def record_decision(actor, proposal: Proposal, outcome: str, approved_usd: Decimal | None, rationale: str,
                    meeting_ref: str = "") -> Decision:
    """The donors' decision on a proposal under review, recommended or not recommended.

    Checks: the secretariat; one decision per proposal (409); the amount above 0 and never
    above the request (422). An approval creates the grant and commits the money, refused
    (InsufficientFunds, 409) when the fund's available balance is too small: the fund's row
    lock makes concurrent approvals wait for each other. The applicant is told at once.
    """
    if not actor.has_role("secretariat"):
        raise PermissionDenied(_("Only the secretariat records the donors' decisions."))
    lock_one(select(Proposal).where(Proposal.id == proposal.id))
    db.session.refresh(proposal)
    if decision_of(proposal.id) is not None:
        raise InvalidTransition(_("This proposal already has a decision."))
    if proposal.deleted_at is not None or proposal.status not in DECIDABLE:
        raise InvalidTransition(UNDECIDABLE.get(proposal.status.value) or _("This proposal cannot be decided."))
    outcome = DecisionOutcome(outcome)
    _check_amount(proposal, outcome, approved_usd)
    decision = Decision(proposal=proposal, outcome=outcome, approved_usd=approved_usd, rationale=rationale,
                        meeting_ref=meeting_ref or "", decided_by_id=actor.id, decided_at=utcnow())
    if outcome == DecisionOutcome.approved:
        ensure_available(approved_usd)  # refused before anything is written
        decision.grant = create_grant(actor, proposal, approved_usd)
        earmarks = [f"theme:{t}" for t in proposal.themes] + [f"region:{r}" for r in regions_of(proposal.countries)]
        commit_funds(actor, decision.grant.id, approved_usd, earmarks, utcnow().date())
    change_status(actor, proposal, ProposalStatus(outcome.value), reason=rationale)
    db.session.add(decision)
    db.session.flush()
    record_event(actor, "decision.recorded", decision, after={
        "proposal_id": proposal.id, "outcome": outcome, "approved_usd": approved_usd, "meeting_ref": meeting_ref,
        "grant_id": decision.grant_id})
    # A lazy subject: mail_members reads it inside each member's language, like the body.
    mail_members(proposal, _l("Decision on %(reference)s", reference=proposal.reference), "decision",
                 kind="decision", decision=decision, comments=overall_comments(proposal.id))
    return decision
