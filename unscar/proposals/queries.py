"""Loading proposals with what each page needs, visible-or-404."""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..errors import NotFound
from ..extensions import db
from ..roles import STAFF_ROLES
from .budget import summarise
from .models import Attachment, Proposal, StatusChange
from .permissions import REVIEW_OUTCOMES, can_view_proposal, hides_review_outcome, is_own


def with_details(stmt):
    return stmt.options(
        joinedload(Proposal.call), joinedload(Proposal.organisation),
        selectinload(Proposal.budget_lines), selectinload(Proposal.attachments),
        selectinload(Proposal.history).joinedload(StatusChange.actor))


def get_proposal_or_404(user, proposal_id: int, details: bool = True, also_if=None) -> Proposal:
    """The proposal if `user` may see it by can_view_proposal, or by `also_if(user, proposal)`:
    the rule of a part above (a reviewer's assignment), passed in by its caller."""
    stmt = select(Proposal).where(Proposal.id == proposal_id)
    stmt = with_details(stmt) if details else stmt.options(joinedload(Proposal.call),
                                                           joinedload(Proposal.organisation))
    proposal = db.session.scalar(stmt)
    if proposal is None or not (can_view_proposal(user, proposal) or (also_if and also_if(user, proposal))):
        raise NotFound(_("No such proposal."))
    return proposal


def get_attachment_or_404(user, attachment_id: int, also_if=None) -> Attachment:
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound(_("No such attachment."))
    get_proposal_or_404(user, attachment.proposal_id, details=False, also_if=also_if)
    return attachment


def history_for(user, proposal: Proposal) -> list[dict]:
    """Transitions with who and when. Names only for staff and the actor's colleagues;
    others read "Applicant" or "UNSCAR secretariat", so a blind reviewer learns nobody."""
    staff = bool(user.is_authenticated) and user.has_role(*STAFF_ROLES)
    hide_outcome = hides_review_outcome(user, proposal)
    rows = []
    for change in proposal.history:
        if hide_outcome and change.to_status in REVIEW_OUTCOMES:
            continue
        actor = change.actor
        applicant_side = actor.organisation_id == proposal.organisation_id
        if staff or (is_own(user, proposal) and applicant_side):
            by = actor.name
        else:
            by = _("Applicant") if applicant_side else _("UNSCAR secretariat")
        rows.append({"from_status": change.from_status.value if change.from_status else None,
                     "status": change.to_status.value, "at": change.at, "by": by, "reason": change.reason})
    return rows


def own_files(proposal: Proposal) -> list[Attachment]:
    """The proposal's attachments, without the files of answers to clarifications."""
    return [a for a in proposal.attachments if a.clarification_id is None]


def budget_of(proposal: Proposal) -> dict:
    summary = summarise(proposal.budget_lines)
    return {"lines": proposal.budget_lines, "direct_usd": summary.direct_usd,
            "indirect_usd": summary.indirect_usd, "total_usd": summary.total_usd}
