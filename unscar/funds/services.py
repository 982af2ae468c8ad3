"""The fund's rules: donors, contributions and every ledger entry (DESIGN.md "Donor and
Contribution", "Fund ledger").

Every writer checks the actor's role, validates its values (validation.py), writes an
audit event in the same transaction, flushes and leaves the commit to its caller. Every
ledger writer first locks the fund's row (ledger.lock_fund), so the balance a writer
checks cannot change before its entries are written: two approvals never both pass.
"""
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import record_event
from ..errors import Conflict, InsufficientFunds, InvalidTransition, PermissionDenied, ValidationFailed
from ..extensions import db
from ..money import group_money
from . import ledger
from .models import Contribution, ContributionStatus, Donor, EntryKind, LedgerEntry
from .permissions import can_manage_fund, can_report_expenditure
from .validation import (check_amount, check_country, check_currency, check_date, check_earmark, check_name, check_rate,
                         usd_value)

ZERO = ledger.ZERO


def _require_manager(actor) -> None:
    if not can_manage_fund(actor):
        raise PermissionDenied(_("Only the secretariat records donors, contributions and the fund's ledger."))


def _entry(actor, kind: EntryKind, amount: Decimal, on: date, **links) -> LedgerEntry:
    entry = LedgerEntry(kind=kind, amount_usd=amount, on=on, actor_id=getattr(actor, "id", None), **links)
    db.session.add(entry)
    return entry


# --- donors and contributions -----------------------------------------------------------

def create_donor(actor, name: str, country: str) -> Donor:
    """A contributing government or institution (country ISO 3166-1 alpha-3)."""
    _require_manager(actor)
    donor = Donor(name=check_name(name), country=check_country(country))
    db.session.add(donor)
    db.session.flush()
    record_event(actor, "donor.created", donor, after={"name": donor.name, "country": donor.country})
    return donor


def _write_receipt(actor, contribution: Contribution) -> list[LedgerEntry]:
    """The received entry at the contribution's USD value and its programme support costs."""
    usd = usd_value(contribution.amount, contribution.usd_rate)
    links = {"contribution_id": contribution.id, "donor_id": contribution.donor_id}
    entries = [_entry(actor, EntryKind.received, usd, contribution.received_on, **links)]
    psc = ledger.psc_of(usd)
    if psc > 0:
        entries.append(_entry(actor, EntryKind.psc, psc, contribution.received_on, **links))
    return entries


def record_contribution(actor, donor: Donor, amount, currency: str, usd_rate, status, on: date,
                        earmark: str | None = None) -> Contribution:
    """A pledge, or money received (which writes its received and psc entries), in any
    ISO 4217 currency at the USD rate the secretariat enters."""
    _require_manager(actor)
    try:
        status = ContributionStatus(status)
    except ValueError:
        raise ValidationFailed(_("A contribution is pledged or received."),
                               errors={"status": [_("Give \"pledged\" or \"received\".")]}) from None
    amount, rate, on = check_amount(amount), check_rate(usd_rate), check_date(on)
    usd_value(amount, rate)  # refuse what the ledger could not hold, pledges too
    contribution = Contribution(
        donor_id=donor.id, amount=amount, currency=check_currency(currency), usd_rate=rate, status=status,
        pledged_on=on if status is ContributionStatus.pledged else None,
        received_on=on if status is ContributionStatus.received else None,
        earmark=check_earmark(earmark), created_by_id=actor.id)
    if status is ContributionStatus.received:
        ledger.lock_fund()
    db.session.add(contribution)
    db.session.flush()
    if status is ContributionStatus.received:
        _write_receipt(actor, contribution)
    record_event(actor, f"contribution.{status.value}", contribution, after={
        "donor_id": donor.id, "amount": amount, "currency": contribution.currency, "usd_rate": rate,
        "on": on, "earmark": contribution.earmark})
    db.session.flush()
    return contribution


def receive_contribution(actor, contribution: Contribution, on: date, usd_rate,
                         amount=None) -> Contribution:
    """A pledge becomes received with its own date and rate (and, when it differs from the
    pledge, the amount that arrived); a received contribution cannot be received again."""
    _require_manager(actor)
    on, rate = check_date(on), check_rate(usd_rate)
    new_amount = check_amount(amount) if amount is not None else None
    ledger.lock_fund()
    # Read again under the lock: a concurrent receipt may have committed meanwhile.
    contribution = db.session.scalars(select(Contribution).where(Contribution.id == contribution.id)
                                      .execution_options(populate_existing=True)).one()
    if contribution.status is not ContributionStatus.pledged:
        raise InvalidTransition(_("This contribution has already been received."))
    before = {"status": contribution.status, "amount": contribution.amount, "usd_rate": contribution.usd_rate}
    final_amount = new_amount if new_amount is not None else contribution.amount
    usd_value(final_amount, rate)
    contribution.amount, contribution.usd_rate = final_amount, rate
    contribution.status, contribution.received_on = ContributionStatus.received, on
    db.session.flush()
    _write_receipt(actor, contribution)
    record_event(actor, "contribution.received", contribution, before=before, after={
        "status": contribution.status, "amount": final_amount, "usd_rate": rate, "on": on})
    db.session.flush()
    return contribution


# --- the figures ------------------------------------------------------------------------

def fund_figures() -> dict[str, Decimal]:
    """pledged, received, psc, programmable, committed, available, disbursed, spent and
    refunded, in USD, summed from the entries (pledges from the contributions)."""
    return {"pledged_usd": ledger.pledged_usd(), **ledger.figures_from(ledger.sums_by_kind())}


def available_usd() -> Decimal:
    return ledger.figures_from(ledger.sums_by_kind())["available_usd"]


GRANT_FIGURES = ("committed_usd", "disbursed_usd", "spent_usd", "refunded_usd")


def grant_figures(grant_id: int) -> dict[str, Decimal]:
    """One grant's committed (commitments − releases − refunds), disbursed, spent and refunded."""
    figures = ledger.figures_from(ledger.sums_by_kind(LedgerEntry.grant_id == grant_id))
    return {name: figures[name] for name in GRANT_FIGURES}


def grants_figures(grant_ids) -> dict[int, dict[str, Decimal]]:
    """grant_figures for each of `grant_ids` (a page of grants), in one query."""
    return {grant_id: {name: figures[name] for name in GRANT_FIGURES}
            for grant_id, figures in ((g, ledger.figures_from(t)) for g, t in ledger.sums_by_grant(grant_ids).items())}


def donor_summary(donor: Donor) -> dict:
    """What a donor gave and what its money paid for: pledged and received USD, its
    contributions, and per grant the commitment attributed to it net of the releases and
    refunds attributed back to it (fixed when each entry was written)."""
    totals = ledger.sums_by_kind(LedgerEntry.donor_id == donor.id)
    programmable = totals[EntryKind.received] - totals[EntryKind.psc]
    grants = ledger.donor_grants(donor.id)
    attributed = sum(grants.values(), ZERO)
    return {
        "pledged_usd": ledger.pledged_usd(Contribution.donor_id == donor.id),
        "received_usd": totals[EntryKind.received],
        "programmable_usd": programmable,
        "attributed_usd": attributed,
        "balance_usd": programmable - attributed,
        "contributions": list(db.session.scalars(select(Contribution).where(Contribution.donor_id == donor.id)
                                                 .order_by(Contribution.id))),
        "grants": [{"grant_id": grant_id, "attributed_usd": amount} for grant_id, amount in grants.items()],
    }



# --- commitments and the life of a grant's money (the grants part calls these) ----------

def _grant_totals(grant_id: int) -> dict[EntryKind, Decimal]:
    return ledger.sums_by_kind(LedgerEntry.grant_id == grant_id)


def _record(actor, action: str, kind: EntryKind, grant_id: int, amount, on: date, shares=None) -> list[LedgerEntry]:
    """Write `amount` as entries of `kind` for a grant, one per (contribution, donor) share
    when `shares` is given, and the audit event."""
    shares = shares or {(None, None): amount}
    entries = [_entry(actor, kind, share, on, grant_id=grant_id, contribution_id=contribution_id,
                      donor_id=donor_id) for (contribution_id, donor_id), share in shares.items()]
    db.session.flush()
    record_event(actor, action, entries[0], after={
        "grant_id": grant_id, "amount_usd": amount, "on": on,
        "shares": [{"contribution_id": c, "donor_id": d, "amount_usd": a} for (c, d), a in shares.items()]})
    db.session.flush()
    return entries


def _checked(actor, grant_id: int, amount, on: date, may=can_manage_fund) -> tuple[Decimal, date]:
    if not may(actor):
        raise PermissionDenied(_("Only the secretariat records the fund's ledger."))
    if isinstance(grant_id, bool) or not isinstance(grant_id, int) or grant_id < 1:
        raise ValidationFailed(_("A grant is named by its id."), errors={"grant_id": [_("Not a grant id.")]})
    values = check_amount(amount), check_date(on)
    ledger.lock_fund()
    return values


def ensure_available(amount: Decimal) -> None:
    """Refuse (InsufficientFunds) an amount beyond the available balance, read under the
    fund's row lock, which the caller then holds until it commits: a decision asks before
    it writes its grant, and no other approval can take the money in between."""
    ledger.lock_fund()
    available = available_usd()
    if amount > available:
        raise InsufficientFunds(_("The fund has USD %(available)s available, less than the USD %(amount)s to commit.",
                                  available=group_money(available), amount=group_money(amount)))


def commit_funds(actor, grant_id: int, amount: Decimal, earmarks: list[str], on: date) -> list[LedgerEntry]:
    """Commit money to a grant, refused (InsufficientFunds) beyond the available balance.

    The fund's row is locked before the balance is read. The commitment is attributed
    over the contributions' unattributed balances, those earmarked for one of `earmarks`
    ("theme:<key>", "region:<Region>") first, the rest pro rata (ledger.attribute), and
    stored per (contribution, donor), so a donor's figures never move when another gives.
    Earmarks never restrict what is available.
    """
    amount, on = _checked(actor, grant_id, amount, on)
    ensure_available(amount)
    return _record(actor, "fund.committed", EntryKind.commitment, grant_id, amount, on,
                   ledger.attribute(amount, earmarks))


def release_commitment(actor, grant_id: int, amount: Decimal, on: date) -> list[LedgerEntry]:
    """Give back to the fund a part of a grant's commitment that was never disbursed,
    attributed back pro rata to the contributions the commitment drew on."""
    amount, on = _checked(actor, grant_id, amount, on)
    totals = _grant_totals(grant_id)
    undisbursed = (totals[EntryKind.commitment] - totals[EntryKind.release] - totals[EntryKind.disbursement])
    if amount > undisbursed:
        raise Conflict(_("Only USD %(amount)s of this grant's commitment is undisbursed.",
                         amount=group_money(max(undisbursed, ZERO))))
    return _record(actor, "fund.released", EntryKind.release, grant_id, amount, on,
                   ledger.split(amount, ledger.grant_attribution(grant_id)))


def record_refund(actor, grant_id: int, amount: Decimal, on: date) -> list[LedgerEntry]:
    """Money a grantee paid back: it leaves the commitment and is available again,
    attributed back pro rata like a release."""
    amount, on = _checked(actor, grant_id, amount, on)
    totals = _grant_totals(grant_id)
    outstanding = totals[EntryKind.disbursement] - totals[EntryKind.refund]
    if amount > outstanding:
        raise Conflict(_("Only USD %(amount)s was disbursed to this grant and not refunded.",
                         amount=group_money(max(outstanding, ZERO))))
    return _record(actor, "fund.refunded", EntryKind.refund, grant_id, amount, on,
                   ledger.split(amount, ledger.grant_attribution(grant_id)))


def record_disbursement(actor, grant_id: int, amount: Decimal, on: date) -> list[LedgerEntry]:
    """Money paid to a grantee, at most what is committed and not yet disbursed."""
    amount, on = _checked(actor, grant_id, amount, on)
    totals = _grant_totals(grant_id)
    left = totals[EntryKind.commitment] - totals[EntryKind.release] - totals[EntryKind.disbursement]
    if amount > left:
        raise Conflict(_("Only USD %(amount)s of this grant's commitment is left to disburse.",
                         amount=group_money(max(left, ZERO))))
    return _record(actor, "fund.disbursed", EntryKind.disbursement, grant_id, amount, on)


def record_expenditure(actor, grant_id: int, amount: Decimal, on: date) -> list[LedgerEntry]:
    """Spending a grantee reported (a filed financial report counts at once)."""
    amount, on = _checked(actor, grant_id, amount, on, may=can_report_expenditure)
    return _record(actor, "fund.expenditure_recorded", EntryKind.expenditure, grant_id, amount, on)


def reverse_expenditure(actor, grant_id: int, amount: Decimal, on: date) -> list[LedgerEntry]:
    """A returned report stops counting in spent: an expenditure_reversal entry, since
    entries are never changed or deleted; at most what the grant has spent."""
    amount, on = _checked(actor, grant_id, amount, on)
    totals = _grant_totals(grant_id)
    spent = totals[EntryKind.expenditure] - totals[EntryKind.expenditure_reversal]
    if amount > spent:
        raise Conflict(_("Only USD %(amount)s of expenditure is recorded for this grant.",
                         amount=group_money(spent)))
    return _record(actor, "fund.expenditure_reversed", EntryKind.expenditure_reversal, grant_id, amount, on)
