"""Proposal life: drafting, the budget, attachments, submission, reopening, withdrawal,
and the one writer of a proposal's status. Each function checks the actor, changes state, records the history and an
audit event (and mail, through the outbox) in the caller's transaction."""
from datetime import timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from ..accounts.models import User
from ..audit.models import AuditEvent
from ..audit.services import record_event
from ..calls.eligibility import applicant_refusal
from ..calls.models import CallStatus
from ..calls.services import guard_transition
from ..dates import utcnow
from ..errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ..extensions import db
from ..languages import call_language_refusal
from ..files import delete_stored
from ..i18n import in_language_of
from ..links import external_url
from ..locking import acquire_write_lock, lock_one
from ..outbox.services import queue_mail
from ..uploads import CheckedUpload, check_upload
from ..uploads import store_upload as store_checked
from .budget import build_lines, check_amounts, summarise
from .models import PROPOSAL_STATUS_LABELS, Attachment, Proposal, ProposalStatus, ReferenceCounter, StatusChange
from .permissions import is_own

EDITABLE_FIELDS = ("title", "summary", "objectives", "results", "activity_types", "themes", "instruments",
                   "countries", "start_date", "duration_months", "gender_marker", "risks", "sustainability",
                   "cofunding_usd", "language")
COUNTED_STATES = [s for s in ProposalStatus if s != ProposalStatus.withdrawn]


def _require_own(actor, proposal: Proposal) -> None:
    if not is_own(actor, proposal) or proposal.deleted_at is not None:
        raise NotFound(_("No such proposal."))


def _require_draft(proposal: Proposal) -> None:
    if not proposal.is_editable:
        # Never the status itself: a recommendation is not the applicant's to know yet.
        raise InvalidTransition(_("The proposal is no longer a draft; only drafts can be changed."))


# DESIGN.md's transitions table: the states a proposal may go to from each state. A later
# recommendation adopted while the call is still in review may move a proposal between
# recommended and not recommended; an applicant may withdraw until the decision.
TRANSITIONS = {
    ProposalStatus.draft: {ProposalStatus.submitted},
    ProposalStatus.submitted: {ProposalStatus.draft, ProposalStatus.withdrawn, ProposalStatus.under_review,
                               ProposalStatus.screened_out},
    ProposalStatus.under_review: {ProposalStatus.withdrawn, ProposalStatus.recommended,
                                  ProposalStatus.not_recommended, ProposalStatus.approved, ProposalStatus.rejected},
    ProposalStatus.recommended: {ProposalStatus.not_recommended, ProposalStatus.approved, ProposalStatus.rejected,
                                 ProposalStatus.withdrawn},
    ProposalStatus.not_recommended: {ProposalStatus.recommended, ProposalStatus.approved, ProposalStatus.rejected,
                                     ProposalStatus.withdrawn},
}
# Before a decision, as the applicant sees it (see withdraw_proposal).
WITHDRAWABLE = (ProposalStatus.submitted, ProposalStatus.under_review, ProposalStatus.recommended,
                ProposalStatus.not_recommended)


def change_status(actor, proposal: Proposal, to: ProposalStatus, reason: str | None = None) -> None:
    """The one writer of a proposal's status: submission, reopening, withdrawal, screening,
    adoption and decisions all come here. Checks the transitions table (the caller checks
    who may ask and when), records the history row and the audit event."""
    before = proposal.status
    if to not in TRANSITIONS.get(before, ()):
        raise InvalidTransition(_("A %(before)s proposal cannot become %(after)s.",
                                  before=PROPOSAL_STATUS_LABELS[before.value], after=PROPOSAL_STATUS_LABELS[to.value]))
    proposal.status = to
    db.session.add(StatusChange(proposal=proposal, from_status=before, to_status=to, actor_id=actor.id,
                                reason=reason))
    record_event(actor, f"proposal.{to.value}", proposal, before={"status": before},
                 after={"status": to, "reason": reason} if reason else {"status": to})


def _count_in_states(call, states) -> int:
    return db.session.scalar(select(func.count()).select_from(Proposal).where(
        Proposal.call_id == call.id, Proposal.deleted_at.is_(None), Proposal.status.in_(states)))


@guard_transition(CallStatus.in_review)
def _none_left_to_screen(call) -> str | None:
    waiting = _count_in_states(call, [ProposalStatus.submitted])
    if not waiting:
        return None
    return ngettext("%(num)d proposal is still submitted: screen every proposal before the review.",
                    "%(num)d proposals are still submitted: screen every proposal before the review.", waiting)


@guard_transition(CallStatus.decided)
def _none_left_to_decide(call) -> str | None:
    waiting = _count_in_states(call, [ProposalStatus.under_review, ProposalStatus.recommended,
                                      ProposalStatus.not_recommended])
    if not waiting:
        return None
    return ngettext("%(num)d proposal still awaits the donors' decision.",
                    "%(num)d proposals still await the donors' decision.", waiting)


def _next_reference(year: int) -> str:
    """UNSCAR-YEAR-NNNN from the year's counter, whose row is locked until commit."""
    acquire_write_lock()
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.session.execute(insert(ReferenceCounter).values(year=year, last_number=0)
                       .on_conflict_do_nothing(index_elements=["year"]))
    counter = lock_one(select(ReferenceCounter).where(ReferenceCounter.year == year))
    counter.last_number += 1
    return f"UNSCAR-{year}-{counter.last_number:04d}"


def _count_for_organisation(call, organisation_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Proposal).where(
        Proposal.call_id == call.id, Proposal.organisation_id == organisation_id,
        Proposal.deleted_at.is_(None), Proposal.status.in_(COUNTED_STATES)))


def create_proposal(actor, call, data: dict) -> Proposal:
    """A new draft on an open call for the actor's organisation, within its limit."""
    if not (actor.has_role("applicant") and actor.organisation_id):
        raise PermissionDenied(_("Only a member of an applicant organisation starts a proposal."))
    if not call.accepts_submissions(utcnow()):
        raise InvalidTransition(_("The call is not open for proposals."))
    # Who may apply is a rule of the call, so a value error (422) naming the rule, not a state (409).
    if (refusal := applicant_refusal(call, actor.organisation.type)) is not None:
        raise ValidationFailed(refusal["message"], problems=[refusal])
    acquire_write_lock()
    limit = call.max_proposals_per_organisation
    if limit is not None and _count_for_organisation(call, actor.organisation_id) >= limit:
        raise InvalidTransition(ngettext("Your organisation has reached this call's limit of %(num)d proposal.",
                                         "Your organisation has reached this call's limit of %(num)d proposals.",
                                         limit))
    proposal = Proposal(call=call, organisation_id=actor.organisation_id, created_by_id=actor.id,
                        reference=_next_reference(call.year), budget_lines=[], attachments=[], history=[])
    _apply(proposal, data)
    db.session.add(proposal)
    db.session.add(StatusChange(proposal=proposal, from_status=None, to_status=ProposalStatus.draft,
                                actor_id=actor.id))
    db.session.flush()
    record_event(actor, "proposal.created", proposal, after={"reference": proposal.reference,
                                                              "call_id": call.id})
    return proposal


def _check_language(call, data: dict) -> None:
    """The language must be one the call allows (API.md POST /calls "languages"): 422."""
    if (refusal := call_language_refusal(call, data.get("language"))) is not None:
        raise ValidationFailed(refusal, errors={"language": [refusal]})


def _apply(proposal: Proposal, data: dict) -> dict:
    _check_language(proposal.call, data)
    changed = {}
    for name in EDITABLE_FIELDS:
        if name in data and getattr(proposal, name) != data[name]:
            changed[name] = (getattr(proposal, name), data[name])
            setattr(proposal, name, data[name])
    return changed


def update_proposal(actor, proposal: Proposal, data: dict, *, audit_every: timedelta | None = None) -> Proposal:
    """Change a draft's fields. `audit_every` is given by autosaves (autosave.py): the row is
    locked (a submission in between wins), and the change is audited only when this actor's
    last change of the proposal is older than that, so a few minutes of typing make one
    event, not one per pause. The events are append-only (audit/chain.py): a later one is
    never merged into an earlier one; the next event's "before" shows the state it left."""
    _require_own(actor, proposal)
    if audit_every is not None:
        lock_one(select(Proposal).where(Proposal.id == proposal.id))
        db.session.refresh(proposal)
    _require_draft(proposal)
    changed = _apply(proposal, data)
    if changed and (audit_every is None or not _audited_since(actor, proposal, utcnow() - audit_every)):
        record_event(actor, "proposal.updated", proposal, before={k: v[0] for k, v in changed.items()},
                     after={k: v[1] for k, v in changed.items()})
    return proposal


def _audited_since(actor, proposal: Proposal, since) -> bool:
    """Whether `actor` changed the proposal's fields (an audited save) at or after `since`."""
    return db.session.scalar(select(AuditEvent.id).where(
        AuditEvent.object_type == Proposal.__tablename__, AuditEvent.object_id == proposal.id,
        AuditEvent.actor_id == actor.id, AuditEvent.action == "proposal.updated", AuditEvent.at >= since,
    ).limit(1)) is not None


def delete_proposal(actor, proposal: Proposal) -> None:
    """A draft is hidden, not erased: its reference stays taken and the audit keeps it."""
    _require_own(actor, proposal)
    _require_draft(proposal)
    proposal.deleted_at = utcnow()
    record_event(actor, "proposal.deleted", proposal, before={"status": proposal.status})


def replace_budget(actor, proposal: Proposal, rows: list[dict]) -> Proposal:
    _require_own(actor, proposal)
    _require_draft(proposal)
    check_amounts(rows)
    before = summarise(proposal.budget_lines).total_usd
    # The unit of work inserts before it deletes; remove the old lines first so the new
    # ones can take their (proposal_id, position) places.
    proposal.budget_lines = []
    db.session.flush()
    proposal.budget_lines = build_lines(rows)
    proposal.requested_usd = summarise(proposal.budget_lines).total_usd
    record_event(actor, "proposal.budget_replaced", proposal, before={"total_usd": before},
                 after={"total_usd": proposal.requested_usd, "lines": len(rows)})
    return proposal


class AlreadyAttached(Conflict):
    """The same bytes are already attached at the same place: a double-click on Upload or
    a repeated request. `attachment` is the first copy, which the API answers with."""

    def __init__(self, attachment: Attachment):
        super().__init__(_("%(filename)s is already attached.", filename=attachment.filename))
        self.attachment = attachment


def refuse_copy(proposal: Proposal, clarification_id: int | None, checked: CheckedUpload) -> None:
    """Raise AlreadyAttached when a file with the bytes it would store (SHA-256) is attached to the
    proposal itself (clarification_id None) or to that answer.

    The proposal's row is locked first, so two simultaneous uploads of one file wait for
    each other and the second one finds the first."""
    lock_one(select(Proposal).where(Proposal.id == proposal.id))
    existing = db.session.scalars(select(Attachment).where(
        Attachment.proposal_id == proposal.id, Attachment.clarification_id.is_not_distinct_from(clarification_id),
        Attachment.sha256 == checked.sha256).order_by(Attachment.id)).first()
    if existing is not None:
        raise AlreadyAttached(existing)


def store_upload(actor, checked: CheckedUpload) -> dict:
    """The values of an Attachment row for a checked upload, its bytes stored."""
    return {**store_checked(checked), "uploaded_by_id": actor.id}


def add_attachment(actor, proposal: Proposal, filename: str, data: bytes) -> Attachment:
    """Attach a checked file to a draft; the same file twice raises AlreadyAttached."""
    _require_own(actor, proposal)
    _require_draft(proposal)
    checked = check_upload(filename, data)
    refuse_copy(proposal, None, checked)
    attachment = Attachment(proposal=proposal, **store_upload(actor, checked))
    db.session.add(attachment)
    db.session.flush()
    record_event(actor, "attachment.added", attachment, after={"proposal_id": proposal.id,
                                                                "filename": attachment.filename,
                                                                "sha256": attachment.sha256})
    return attachment


def delete_attachment(actor, attachment: Attachment) -> None:
    _require_own(actor, attachment.proposal)
    _require_draft(attachment.proposal)
    if attachment.clarification_id is not None:
        raise InvalidTransition(_("A file given with an answer to the secretariat stays with that answer."))
    record_event(actor, "attachment.deleted", attachment, before={"filename": attachment.filename,
                                                                   "sha256": attachment.sha256})
    key = attachment.storage_key
    db.session.delete(attachment)
    db.session.flush()
    delete_stored(key)


# The automatic checks are screening's rules (screening/checks.py): it registers them here
# when imported, as the application imports every part, so drafting and submission apply
# them while proposals/ knows nothing of screening.
_ELIGIBILITY = []


def eligibility_rules(verdict):
    """Decorator: `verdict(proposal, now)` gives {"deadline": problem or None, "problems":
    [...], "warnings": [...]}, each problem {"code", "message"}."""
    _ELIGIBILITY[:] = [verdict]
    return verdict


def _verdict(proposal: Proposal, now) -> dict:
    if not _ELIGIBILITY:
        raise RuntimeError("No eligibility rules: unscar.screening.checks is not imported.")
    return _ELIGIBILITY[0](proposal, now)


def current_checks(proposal: Proposal) -> dict:
    """{"eligible", "problems", "warnings"}: live for drafts, the submission snapshot
    afterwards. Warnings never block submission."""
    if proposal.status != ProposalStatus.draft and proposal.checks_snapshot is not None:
        return {"warnings": [], **proposal.checks_snapshot}
    verdict = _verdict(proposal, utcnow())
    return {"eligible": not verdict["problems"], "problems": verdict["problems"], "warnings": verdict["warnings"]}


def submit_proposal(actor, proposal: Proposal) -> Proposal:
    """Submit a draft whose checks pass while the call accepts proposals.

    Idempotent: the row is locked first, so a double click, a retry or a concurrent
    submit finds it submitted and changes nothing. The call's state and the deadline
    answer 409 before any other check (422 with the problems).
    """
    _require_own(actor, proposal)
    lock_one(select(Proposal).where(Proposal.id == proposal.id))
    db.session.refresh(proposal)
    if proposal.status == ProposalStatus.submitted:
        return proposal
    _require_draft(proposal)
    now = utcnow()
    verdict = _verdict(proposal, now)
    if (problem := verdict["deadline"]) is not None:
        raise InvalidTransition(problem["message"], problems=[problem])
    if verdict["problems"]:
        raise ValidationFailed(_("The proposal cannot be submitted yet."), problems=verdict["problems"])
    proposal.submitted_at = now
    proposal.checks_snapshot = {"eligible": True, "problems": [], "checked_at": now.isoformat()}
    change_status(actor, proposal, ProposalStatus.submitted)
    mail_members(proposal, _l("Proposal received: %(reference)s", reference=proposal.reference), "submission_receipt",
                  kind="submission_receipt", summary=summarise(proposal.budget_lines))
    return proposal


def reopen_proposal(actor, proposal: Proposal) -> Proposal:
    _require_own(actor, proposal)
    if proposal.status != ProposalStatus.submitted:
        raise InvalidTransition(_("Only a submitted proposal can be reopened."))
    if utcnow() >= proposal.call.closes_at:
        raise InvalidTransition(_("The deadline has passed; the proposal can no longer be reopened."))
    proposal.submitted_at = None
    proposal.checks_snapshot = None
    change_status(actor, proposal, ProposalStatus.draft)
    return proposal


def withdraw_proposal(actor, proposal: Proposal, reason: str | None = None) -> Proposal:
    """Withdraw before a decision. A recommended or not recommended proposal shows to its
    applicant as under review, so it may be withdrawn too: a refusal would tell the outcome."""
    _require_own(actor, proposal)
    if proposal.status not in WITHDRAWABLE:
        raise InvalidTransition(_("A %(status)s proposal cannot be withdrawn.",
                                  status=PROPOSAL_STATUS_LABELS[proposal.status.value]))
    change_status(actor, proposal, ProposalStatus.withdrawn, reason)
    return proposal


def mail_members(proposal: Proposal, subject, template: str, kind: str, **context) -> None:
    """Mail each active member of the proposal's organisation, each in their own language.
    `subject` is a lazy string (lazy_gettext), read once per member inside that member's
    language, like the body."""
    members = db.session.scalars(select(User).where(User.organisation_id == proposal.organisation_id,
                                                    User.active.is_(True)).order_by(User.id)).all()
    link = external_url("proposals.detail", proposal_id=proposal.id)
    for member in members:
        with in_language_of(member):
            queue_mail(member.email, str(subject), template, kind=kind, user=member, proposal=proposal, link=link,
                       **context)

