"""The ledger's arithmetic: the fund's lock, the figures summed from entries, balances
per contribution and per grant, and the split of an amount over balances.

Every figure is one aggregate SELECT (SUM ... GROUP BY kind) over the entries, exact in
Decimal (Money sums integer cents on SQLite, NUMERIC on PostgreSQL).
"""
from collections import defaultdict
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..locking import lock_one
from ..money import round_cents
from .models import FUND_ID, Contribution, ContributionStatus, EntryKind, Fund, LedgerEntry

ZERO = Decimal("0.00")
DEFAULT_PSC_RATE = Decimal("0.13")
FIGURES = ("pledged_usd", "received_usd", "psc_usd", "programmable_usd", "committed_usd", "available_usd",
           "disbursed_usd", "spent_usd", "refunded_usd")
# The kinds that move a grant's commitment, and the sign each gives it.
COMMITMENT_SIGNS = {EntryKind.commitment: 1, EntryKind.release: -1, EntryKind.refund: -1}


def psc_rate() -> Decimal:
    """Programme support costs as a share of each receipt (config PROGRAMME_SUPPORT_RATE)."""
    return Decimal(str(current_app.config.get("PROGRAMME_SUPPORT_RATE", DEFAULT_PSC_RATE)))


def psc_of(received_usd: Decimal) -> Decimal:
    return round_cents(received_usd * psc_rate())


def lock_fund() -> Fund:
    """Lock the fund's row for the rest of the transaction (SELECT ... FOR UPDATE on
    PostgreSQL, BEGIN IMMEDIATE on SQLite): ledger writers queue here, so a balance that
    was checked cannot change before the entries are written."""
    stmt = select(Fund).where(Fund.id == FUND_ID)
    fund = lock_one(stmt)
    if fund is None:  # the migration inserts the row; an emptied database may lack it
        try:
            with db.session.begin_nested():
                db.session.add(Fund(id=FUND_ID))
        except IntegrityError:
            pass  # another transaction inserted it first
        fund = lock_one(stmt)
    return fund


def sums_by_kind(*conditions) -> dict[EntryKind, Decimal]:
    """{kind: SUM(amount_usd)} over the entries matching `conditions`, zero for absent kinds."""
    stmt = select(LedgerEntry.kind, func.sum(LedgerEntry.amount_usd)).where(*conditions).group_by(LedgerEntry.kind)
    totals = dict.fromkeys(EntryKind, ZERO)
    totals.update({kind: Decimal(total) for kind, total in db.session.execute(stmt)})
    return totals


def sums_by_grant(grant_ids) -> dict[int, dict[EntryKind, Decimal]]:
    """{grant_id: {kind: SUM(amount_usd)}} for each of `grant_ids`, in one aggregate query."""
    ids = list(grant_ids)
    sums = {grant_id: dict.fromkeys(EntryKind, ZERO) for grant_id in ids}
    if not ids:
        return sums
    stmt = (select(LedgerEntry.grant_id, LedgerEntry.kind, func.sum(LedgerEntry.amount_usd))
            .where(LedgerEntry.grant_id.in_(ids)).group_by(LedgerEntry.grant_id, LedgerEntry.kind))
    for grant_id, kind, total in db.session.execute(stmt):
        sums[grant_id][kind] = Decimal(total)
    return sums


def figures_from(totals: dict[EntryKind, Decimal]) -> dict[str, Decimal]:
    """DESIGN.md's fund ledger from the sums per kind (no pledges: they are no entries)."""
    programmable = totals[EntryKind.received] - totals[EntryKind.psc]
    committed = (totals[EntryKind.commitment] - totals[EntryKind.release] - totals[EntryKind.refund])
    return {
        "received_usd": totals[EntryKind.received],
        "psc_usd": totals[EntryKind.psc],
        "programmable_usd": programmable,
        "committed_usd": committed,
        "available_usd": programmable - committed,
        "disbursed_usd": totals[EntryKind.disbursement],
        "spent_usd": totals[EntryKind.expenditure] - totals[EntryKind.expenditure_reversal],
        "refunded_usd": totals[EntryKind.refund],
    }


def pledged_usd(*conditions) -> Decimal:
    """Pledges not yet received, each at the rate it was entered with."""
    rows = db.session.execute(select(Contribution.amount, Contribution.usd_rate).where(
        Contribution.status == ContributionStatus.pledged, *conditions))
    return sum((round_cents(amount * rate) for amount, rate in rows), ZERO)


def contribution_balances() -> dict[tuple[int, int], Decimal]:
    """{(contribution_id, donor_id): programmable received not yet attributed to a grant}."""
    signs = {EntryKind.received: 1, EntryKind.psc: -1, **{k: -s for k, s in COMMITMENT_SIGNS.items()}}
    stmt = (select(LedgerEntry.contribution_id, LedgerEntry.donor_id, LedgerEntry.kind,
                   func.sum(LedgerEntry.amount_usd))
            .where(LedgerEntry.contribution_id.is_not(None), LedgerEntry.kind.in_(list(signs)))
            .group_by(LedgerEntry.contribution_id, LedgerEntry.donor_id, LedgerEntry.kind))
    balances: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for contribution_id, donor_id, kind, total in db.session.execute(stmt):
        balances[(contribution_id, donor_id)] += signs[kind] * Decimal(total)
    return {key: balance for key, balance in sorted(balances.items()) if balance > 0}


def grant_attribution(grant_id: int) -> dict[tuple[int | None, int | None], Decimal]:
    """What each (contribution, donor) still has committed to a grant; (None, None) is
    the unattributed part."""
    stmt = (select(LedgerEntry.contribution_id, LedgerEntry.donor_id, LedgerEntry.kind,
                   func.sum(LedgerEntry.amount_usd))
            .where(LedgerEntry.grant_id == grant_id, LedgerEntry.kind.in_(list(COMMITMENT_SIGNS)))
            .group_by(LedgerEntry.contribution_id, LedgerEntry.donor_id, LedgerEntry.kind))
    net: dict = defaultdict(lambda: ZERO)
    for contribution_id, donor_id, kind, total in db.session.execute(stmt):
        net[(contribution_id, donor_id)] += COMMITMENT_SIGNS[kind] * Decimal(total)
    return {key: amount for key, amount in sorted(net.items(), key=lambda kv: _sort_key(kv[0]))
            if amount > 0}


def _sort_key(key):
    return tuple(-1 if part is None else part for part in key)


def split(amount: Decimal, caps: dict) -> dict:
    """Share `amount` over the keys pro rata to their caps, each share rounded half-up to
    cents and the remainder put on the largest share (then the next, so that no share
    goes below zero or above its cap): the shares sum exactly to the amount. An amount
    at or above the caps' total takes every cap whole."""
    total = sum(caps.values(), ZERO)
    if amount >= total:
        return {key: cap for key, cap in caps.items() if cap > 0}
    shares = {key: min(round_cents(amount * cap / total), cap) for key, cap in caps.items()}
    remainder = amount - sum(shares.values(), ZERO)
    for key in sorted(shares, key=lambda k: shares[k], reverse=True):  # stable: ties keep order
        if remainder == 0:
            break
        room = caps[key] - shares[key] if remainder > 0 else -shares[key]
        step = min(remainder, room) if remainder > 0 else max(remainder, room)
        shares[key] += step
        remainder -= step
    return {key: share for key, share in shares.items() if share > 0}


def attribute(amount: Decimal, earmarks: list[str]) -> dict[tuple[int | None, int | None], Decimal]:
    """Split a commitment over the contributions' unattributed balances: those earmarked
    for one of `earmarks` first, the rest pro rata over every remaining balance; what
    no balance covers is unattributed, under (None, None)."""
    balances = contribution_balances()
    earmark_of = dict(db.session.execute(select(Contribution.id, Contribution.earmark).where(
        Contribution.id.in_([contribution_id for contribution_id, _ in balances]))).all())
    wanted = set(earmarks or ())
    first = split(amount, {key: b for key, b in balances.items() if earmark_of.get(key[0]) in wanted})
    remaining = {key: b - first.get(key, ZERO) for key, b in balances.items()}
    rest = amount - sum(first.values(), ZERO)
    second = split(rest, remaining) if rest > 0 else {}
    shares: dict = defaultdict(lambda: ZERO)
    for part in (first, second):
        for key, share in part.items():
            shares[key] += share
    unattributed = rest - sum(second.values(), ZERO)
    if unattributed > 0:
        shares[(None, None)] += unattributed
    return dict(shares)


def donor_grants(donor_id: int) -> dict[int, Decimal]:
    """{grant_id: the donor's money still committed to it}, grants with nothing left omitted."""
    stmt = (select(LedgerEntry.grant_id, LedgerEntry.kind, func.sum(LedgerEntry.amount_usd))
            .where(LedgerEntry.donor_id == donor_id, LedgerEntry.kind.in_(list(COMMITMENT_SIGNS)))
            .group_by(LedgerEntry.grant_id, LedgerEntry.kind))
    net: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for grant_id, kind, total in db.session.execute(stmt):
        net[grant_id] += COMMITMENT_SIGNS[kind] * Decimal(total)
    return {grant_id: amount for grant_id, amount in sorted(net.items()) if amount > 0}
