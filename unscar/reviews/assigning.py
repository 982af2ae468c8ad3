"""Assigning reviewers to proposals, by hand and by the optimiser, and the reviewer's
own answers: decline, or declare a conflict (which voids a review already given); the
secretariat removing an assignment whose review will not come.

Each reviewer hears of an assignment in their own language, whoever made it.
"""
from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import insert, select
from sqlalchemy.orm import selectinload

from ..accounts.models import User
from ..audit.services import record_event, record_events
from ..dates import utcnow
from ..errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ..extensions import db
from ..i18n import DEFAULT_LANGUAGE, in_language_of, supported
from ..links import external_url
from ..locking import acquire_write_lock
from ..outbox.services import queue_mail, queue_mails
from ..proposals.models import Proposal, ProposalStatus
from ..regions import regions_of
from . import assignment as optimiser
from .models import Assignment, AssignmentStatus, ReviewerProfile
from .panels import panel_ids
from .services import lock_reviewable

REVIEWABLE = (ProposalStatus.under_review,)


def _require_secretariat(actor) -> None:
    if not actor.has_role("secretariat"):
        raise PermissionDenied(_("Only the secretariat assigns reviewers."))


def proposal_info(proposal: Proposal) -> optimiser.ProposalInfo:
    return optimiser.ProposalInfo(id=proposal.id, organisation_id=proposal.organisation_id,
                                  language=proposal.language or optimiser.DEFAULT_LANGUAGE,
                                  themes=tuple(proposal.themes), regions=tuple(regions_of(proposal.countries)))


def reviewer_infos(call_id: int, reviewers: list[User]) -> list[optimiser.ReviewerInfo]:
    """Each reviewer's expertise and exclusions, in three queries whatever the count."""
    ids = [r.id for r in reviewers]
    profiles = {p.user_id: p for p in db.session.scalars(
        select(ReviewerProfile).where(ReviewerProfile.user_id.in_(ids)).options(selectinload(ReviewerProfile.links)))}
    closed = db.session.execute(select(Assignment.reviewer_id, Assignment.proposal_id, Assignment.status).where(
        Assignment.reviewer_id.in_(ids), Assignment.status != AssignmentStatus.active)).all()
    closed_by_reviewer: dict[int, list] = {}
    for reviewer_id, proposal_id, status in closed:
        closed_by_reviewer.setdefault(reviewer_id, []).append((proposal_id, status))
    infos = []
    for reviewer in reviewers:
        profile = profiles.get(reviewer.id)
        organisations = {link.organisation_id for link in profile.links} if profile else set()
        if reviewer.organisation_id:
            organisations.add(reviewer.organisation_id)
        mine = closed_by_reviewer.get(reviewer.id, [])
        infos.append(optimiser.ReviewerInfo(
            id=reviewer.id, themes=tuple(profile.themes) if profile else (),
            regions=tuple(profile.regions) if profile else (), languages=tuple(profile.languages) if profile else (),
            organisation_ids=frozenset(organisations),
            conflicted_proposal_ids=frozenset(p for p, s in mine if s == AssignmentStatus.conflicted),
            # A removed pair is not offered again automatically either.
            declined_proposal_ids=frozenset(p for p, s in mine if s != AssignmentStatus.conflicted)))
    return infos


def _reviewers(ids) -> list[User]:
    users = db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)).all()
    bad = sorted(set(ids) - {u.id for u in users if u.has_role("reviewer") and u.active})
    if bad:
        raise ValidationFailed(_("Only active reviewers can be assigned."),
                               errors={"reviewer_ids": [_("User %(id)s is not a reviewer.", id=i) for i in bad]})
    return users


def _create(actor, call, proposal_id: int, reviewer: User) -> Assignment:
    assignment = Assignment(call_id=call.id, proposal_id=proposal_id, reviewer_id=reviewer.id,
                            assigned_by_id=actor.id)
    db.session.add(assignment)
    db.session.flush()
    record_event(actor, "assignment.created", assignment, after={"proposal_id": proposal_id,
                                                                  "reviewer_id": reviewer.id})
    with in_language_of(reviewer):
        queue_mail(reviewer.email, _subject(call), "assignment", kind="assignment",
                   **_mail_context(call, assignment, reviewer))
    return assignment


def _subject(call) -> str:
    return _("A proposal to review for %(title)s", title=call.title)


def _mail_context(call, assignment: Assignment, reviewer: User) -> dict:
    return {"user": reviewer, "call": call,
            "link": external_url("reviews.detail", assignment_id=assignment.id)}


def _create_all(actor, call, pairs, reviewers: dict[int, User]) -> list[Assignment]:
    """_create for every (reviewer id, proposal id) pair, in a few statements whatever their
    number: the assignments and their audit events are each one multi-row insert, their
    mails one per language (a call of 2,500 proposals makes 7,500 of each), the assignments
    read back in one query."""
    if not pairs:
        return []
    db.session.execute(insert(Assignment), [
        {"call_id": call.id, "proposal_id": proposal_id, "reviewer_id": reviewer_id, "assigned_by_id": actor.id}
        for reviewer_id, proposal_id in pairs])
    new = set(pairs)
    assignments = [a for a in db.session.scalars(select(Assignment).where(
        Assignment.call_id == call.id, Assignment.status == AssignmentStatus.active).order_by(Assignment.id))
        if (a.reviewer_id, a.proposal_id) in new]
    record_events(actor, "assignment.created", [
        (a, {"proposal_id": a.proposal_id, "reviewer_id": a.reviewer_id}) for a in assignments])
    _queue_assignment_mails(call, assignments, reviewers)
    return assignments


def _queue_assignment_mails(call, assignments: list[Assignment], reviewers: dict[int, User]) -> None:
    """Each new assignment's mail in its reviewer's language. The reviewers are grouped by
    language and each group is written by one queue_mails inside one in_language_of: the
    language changes once per group (six at most), not once per message."""
    by_language: dict[str, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_language[supported(reviewers[assignment.reviewer_id].language) or DEFAULT_LANGUAGE].append(assignment)
    for group in by_language.values():
        with in_language_of(reviewers[group[0].reviewer_id]):
            subject = _subject(call)
            queue_mails([(reviewers[a.reviewer_id].email, subject, _mail_context(call, a, reviewers[a.reviewer_id]))
                         for a in group], "assignment", kind="assignment")


def assign_reviewer(actor, call, reviewer_id: int, proposal_id: int) -> Assignment:
    """By hand: 409 when the reviewer may not review the proposal, and why."""
    _require_secretariat(actor)
    acquire_write_lock()
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.call_id != call.id or proposal.deleted_at is not None:
        raise ValidationFailed(_("No such proposal in this call."), errors={"proposal_id": [_("Not in this call.")]})
    if proposal.status not in REVIEWABLE:
        raise InvalidTransition(_("Only proposals under review get reviewers."))
    reviewer = _reviewers([reviewer_id])[0]
    info = reviewer_infos(call.id, [reviewer])[0]
    target = proposal_info(proposal)
    if target.organisation_id in info.organisation_ids:
        raise InvalidTransition(_("The reviewer belongs to, or is linked with, the applicant organisation."))
    if proposal.id in info.conflicted_proposal_ids:
        raise InvalidTransition(_("The reviewer declared a conflict of interest with this proposal."))
    if proposal.id in info.declined_proposal_ids:
        raise InvalidTransition(_("The reviewer declined or was removed from this proposal."))
    if target.language not in optimiser.languages_read(info):
        raise InvalidTransition(_("The reviewer does not read the proposal's language (%(language)s).",
                                  language=target.language))
    if db.session.scalar(select(Assignment.id).where(Assignment.proposal_id == proposal.id,
                                                     Assignment.reviewer_id == reviewer.id)):
        raise InvalidTransition(_("The reviewer is already assigned to this proposal."))
    return _create(actor, call, proposal.id, reviewer)


def auto_assign(actor, call, reviewer_ids: list[int] | None = None, per_proposal: int | None = None):
    """The optimiser's assignment for every proposal under review, keeping what exists.

    Returns (new assignments, [(proposal_id, missing)])."""
    _require_secretariat(actor)
    acquire_write_lock()
    reviewers = _reviewers(reviewer_ids if reviewer_ids is not None else panel_ids(call))
    proposals = db.session.scalars(select(Proposal).where(
        Proposal.call_id == call.id, Proposal.status.in_(REVIEWABLE), Proposal.deleted_at.is_(None))
        .order_by(Proposal.id)).all()
    existing = db.session.execute(select(Assignment.reviewer_id, Assignment.proposal_id).where(
        Assignment.call_id == call.id, Assignment.status == AssignmentStatus.active)).all()
    result = optimiser.assign(reviewer_infos(call.id, reviewers), [proposal_info(p) for p in proposals],
                              per_proposal or call.reviewers_per_proposal, [tuple(row) for row in existing])
    created = _create_all(actor, call, result.new_pairs, {r.id: r for r in reviewers})
    record_event(actor, "assignment.auto", call, after={"created": len(created), "short": result.short,
                                                        "total_match": result.total_match})
    return created, result.short


def remove_assignment(actor, assignment: Assignment, reason: str) -> Assignment:
    """The secretariat ends an active assignment, with a reason (audited): its reviewer loses
    access and a review it held no longer counts. This is how a call whose review will not
    come reaches adoption, which waits for every active assignment's review."""
    _require_secretariat(actor)
    acquire_write_lock()
    lock_reviewable(assignment)
    if assignment.status != AssignmentStatus.active:
        raise InvalidTransition(_("Only an active assignment can be removed."))
    if not (reason or "").strip():
        raise ValidationFailed(_("Say why the assignment is removed."), errors={"reason": [_("Give a reason.")]})
    _close(actor, assignment, AssignmentStatus.removed, reason.strip())
    return assignment


def _own_assignment(actor, assignment: Assignment) -> None:
    if assignment.reviewer_id != actor.id or assignment.status != AssignmentStatus.active:
        raise NotFound(_("No such assignment."))


def declare_conflict(actor, assignment: Assignment, reason: str) -> Assignment:
    """Access ends at once; a review already given is voided (audited)."""
    _own_assignment(actor, assignment)
    _close(actor, assignment, AssignmentStatus.conflicted, reason)
    review = assignment.review
    if review is not None and review.voided_at is None:
        review.voided_at = utcnow()
        record_event(actor, "review.voided", review, after={"reason": "conflict of interest declared"})
    return assignment


def decline_assignment(actor, assignment: Assignment, reason: str) -> Assignment:
    _own_assignment(actor, assignment)
    if assignment.review is not None and assignment.review.submitted_at is not None:
        raise InvalidTransition(_("A submitted review cannot be declined; declare a conflict if there is one."))
    _close(actor, assignment, AssignmentStatus.declined, reason)
    return assignment


def _close(actor, assignment: Assignment, status: AssignmentStatus, reason: str) -> None:
    before = assignment.status
    assignment.status, assignment.reason, assignment.status_changed_at = status, reason, utcnow()
    record_event(actor, f"assignment.{status.value}", assignment, before={"status": before},
                 after={"status": status, "reason": reason})
