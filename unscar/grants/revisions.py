"""Budget revisions and no-cost extensions (DESIGN.md "Budget revision"): requested by the
grantee, approved or rejected by the secretariat.

A revision sets new budgets for the categories it names (the others keep theirs; a
category new to the grant may be given one), and/or a new end date after the current one.
Rules at request time:
- the resulting total never exceeds the current total (money moves, it never grows);
- a category's new budget is never below what its counting reports have already spent:
  money spent cannot be moved away afterwards;
- a reason is required, and one revision at a time may be pending, so that each is judged
  against the budget it will change.
Approval applies it: budget.current_budget reads approved revisions; an extension moves the
grant's end date (the previous one is kept on the revision), the final reports' period and
due dates (schedule.shift_final_reports) and an active grant to `extended` (status.py). A
suspended grant keeps its suspension: lifting it is the secretariat's separate decision.
"""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import record_event
from ..dates import utcnow
from ..errors import InvalidTransition, PermissionDenied
from ..extensions import db
from ..links import external_url
from ..locking import lock_one
from ..money import group_money
from ..templating import format_long_date
from .budget import ZERO, current_budget, spent_by_category
from .labels import status_label
from .models import Grant, GrantStatus, Revision, RevisionLine, RevisionStatus
from .notices import mail_grantee
from .queries import lock_grant
from .report_checks import Errors, amount_of, category_of, check_text, rows_of
from .report_permissions import can_review_reports
from .reports import require_grantee, require_open
from .schedule import shift_final_reports
from .status import change_grant_status

DECISIONS = ("approved", "rejected")


def _new_budgets(grant: Grant, lines, errors: Errors) -> dict:
    """[{category, budget_usd}] → {category: budget}, checked against the current budget
    and what each category has spent."""
    budget, spent = current_budget(grant), spent_by_category(grant.id)
    new: dict = {}
    for i, row in enumerate(rows_of(lines, "lines", errors)):
        if not isinstance(row, dict):
            errors.add(f"lines.{i}", _("Give a category and a budget."))
            continue
        category = category_of(row.get("category"))
        if category is None:
            errors.add(f"lines.{i}.category", _("Not a budget category."))
        elif category in new:
            errors.add(f"lines.{i}.category", _("Give each category once."))
        amount = amount_of(row.get("budget_usd"), f"lines.{i}.budget_usd", errors)
        if category is None or amount is None or category in new:
            continue
        if amount < spent.get(category, ZERO):
            errors.add(f"lines.{i}.budget_usd", _("Below the USD %(spent)s already spent in this category.",
                                                  spent=group_money(spent[category])))
        new[category] = amount
    current_total = sum(budget.values(), ZERO)
    new_total = sum({**budget, **new}.values(), ZERO)
    if new and new_total > current_total:
        errors.add("lines", _("The revised total, USD %(new)s, would exceed the current total, USD %(current)s: "
                              "a revision moves money between categories.",
                              new=group_money(new_total), current=group_money(current_total)))
    return new


def _check_end_date(grant: Grant, end_date, errors: Errors) -> None:
    if end_date is None:
        return
    if not isinstance(end_date, date):
        errors.add("end_date", _("Give a date (YYYY-MM-DD)."))
    elif grant.end_date is not None and end_date <= grant.end_date:
        errors.add("end_date", _("A no-cost extension ends after the current end date, %(date)s.",
                                 date=format_long_date(grant.end_date)))


def pending_revision(grant_id: int) -> Revision | None:
    return db.session.scalars(select(Revision).where(Revision.grant_id == grant_id,
                                                     Revision.status == RevisionStatus.pending)).first()


def request_revision(actor, grant: Grant, lines, end_date, reason) -> Revision:
    """The grantee asks for new category budgets and/or a later end date (rules above)."""
    require_grantee(actor, grant)
    require_open(grant)
    errors = Errors()
    reason = check_text(reason, "reason", errors)
    new = _new_budgets(grant, lines or [], errors)
    _check_end_date(grant, end_date, errors)
    if not lines and end_date is None:
        errors.add("lines", _("Give new budgets, a new end date, or both."))
    errors.raise_any()
    lock_grant(grant)
    if pending_revision(grant.id) is not None:
        raise InvalidTransition(_("A revision of this grant awaits the secretariat's decision."))
    revision = Revision(grant=grant, reason=reason, end_date=end_date, requested_by_id=actor.id,
                        lines=[RevisionLine(category=category, budget_usd=amount) for category, amount in new.items()])
    db.session.add(revision)
    db.session.flush()
    record_event(actor, "revision.requested", revision, after={
        "grant_id": grant.id, "reason": reason, "end_date": end_date,
        "lines": {category.value: amount for category, amount in new.items()}})
    return revision


def _extend(actor, grant: Grant, revision: Revision) -> None:
    revision.previous_end_date = grant.end_date
    grant.end_date = revision.end_date
    shift_final_reports(grant, revision.end_date)
    record_event(actor, "grant.extended", grant, before={"end_date": revision.previous_end_date},
                 after={"end_date": revision.end_date, "revision_id": revision.id})
    if grant.status is GrantStatus.active:
        # No reason in words: the event just written names the revision, and a stored sentence
        # would be read in one language by every reader of the grant's history.
        change_grant_status(actor, grant, GrantStatus.extended)


def _decision_subject(grant: Grant, decision: str) -> str:
    if decision == "approved":
        return _("%(agreement)s: your revision request was approved", agreement=grant.agreement_number)
    return _("%(agreement)s: your revision request was rejected", agreement=grant.agreement_number)


def decide_revision(actor, revision: Revision, decision: str, comment: str | None = None) -> Revision:
    """The secretariat approves (applying it) or rejects a pending revision; the grantee
    is e-mailed with the comment."""
    if not can_review_reports(actor):
        raise PermissionDenied(_("Only the secretariat decides revisions."))
    errors = Errors()
    if decision not in DECISIONS:
        errors.add("decision", _("Choose approved or rejected."))
    comment = check_text(comment, "comment", errors, required=False)
    errors.raise_any()
    lock_grant(revision.grant)  # fund, then grant: the lock order of every grant writer
    locked = lock_one(select(Revision).where(Revision.id == revision.id))
    if locked.status is not RevisionStatus.pending:
        raise InvalidTransition(_("This revision is already %(status)s.", status=status_label(locked.status.value, "revision")))
    grant = revision.grant
    require_open(grant)
    budget_before = {category.value: amount for category, amount in current_budget(grant).items()}
    revision.status = RevisionStatus(decision)
    revision.comment = comment or None
    revision.decided_at, revision.decided_by_id = utcnow(), actor.id
    db.session.flush()
    if decision == "approved" and revision.end_date is not None:
        _extend(actor, grant, revision)
    after = {"status": decision, "comment": revision.comment}
    if decision == "approved" and revision.lines:
        after["budget"] = {category.value: amount for category, amount in current_budget(grant).items()}
    record_event(actor, f"revision.{decision}", revision, before={"status": "pending", "budget": budget_before},
                 after=after)
    mail_grantee(grant, lambda: _decision_subject(grant, decision), "revision_decided", kind="revision_decided",
                 revision=revision, decision=decision, link=external_url("grants.revision", revision_id=revision.id))
    return revision
