"""Property (hypothesis, a state machine): random sequences of contributions, receipts, commitments,
disbursements, expenditure and its reversal, releases and refunds keep the ledger
balanced; available is never negative; every figure equals a recomputation in Python
over the entries; attributions sum to the commitments and never overdraw a contribution."""
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import select

from tests.factories import make_user
from tests.machines import run
from unscar.errors import Conflict, InsufficientFunds, ValidationFailed
from unscar.extensions import db
from unscar.funds import ledger, services
from unscar.funds.models import Contribution, ContributionStatus, Donor, EntryKind, LedgerEntry

D = Decimal
DAY = date(2026, 6, 1)
GRANTS = 2
K = EntryKind


def cents(value: Decimal) -> Decimal:
    return value.quantize(D("0.01"), rounding=ROUND_HALF_UP)


amounts = st.integers(min_value=1, max_value=5_000_000).map(lambda c: D(c).scaleb(-2))
rates = st.sampled_from([D("1"), D("1.085"), D("0.0921"), D("1.234567"), D("0.000123")])
earmarks = st.sampled_from([None, "theme:legislation", "region:Africa", "theme:reporting"])
# Amounts of the other steps are a share (in percent, up to 120) of what the rule allows,
# so that both the allowed and the refused side are exercised.
share = st.integers(min_value=1, max_value=120)
grants = st.integers(0, GRANTS - 1)


def recomputed() -> dict:
    """The figures, per grant totals and attributions, summed in Python over every entry."""
    entries = db.session.scalars(select(LedgerEntry)).all()
    total = defaultdict(lambda: D("0.00"))
    grant = defaultdict(lambda: defaultdict(lambda: D("0.00")))
    attributed = defaultdict(lambda: defaultdict(lambda: D("0.00")))  # grant -> contribution -> net
    programmable = defaultdict(lambda: D("0.00"))  # contribution -> received - psc
    for e in entries:
        assert e.amount_usd > 0
        total[e.kind] += e.amount_usd
        if e.grant_id is not None:
            grant[e.grant_id][e.kind] += e.amount_usd
        sign = {K.commitment: 1, K.release: -1, K.refund: -1}.get(e.kind)
        if sign:
            attributed[e.grant_id][e.contribution_id] += sign * e.amount_usd
        if e.kind in (K.received, K.psc):
            programmable[e.contribution_id] += e.amount_usd if e.kind is K.received else -e.amount_usd
    received, psc = total[K.received], total[K.psc]
    committed = total[K.commitment] - total[K.release] - total[K.refund]
    pledged = sum((cents(c.amount * c.usd_rate) for c in db.session.scalars(
        select(Contribution).where(Contribution.status == ContributionStatus.pledged))), D("0.00"))
    figures = {"pledged_usd": pledged, "received_usd": received, "psc_usd": psc, "programmable_usd": received - psc,
               "committed_usd": committed, "available_usd": received - psc - committed,
               "disbursed_usd": total[K.disbursement], "spent_usd": total[K.expenditure] - total[K.expenditure_reversal],
               "refunded_usd": total[K.refund]}
    return {"figures": figures, "grant": grant, "attributed": attributed, "programmable": programmable}


def check_balanced(state: dict) -> None:
    figures = services.fund_figures()
    assert figures == state["figures"]
    assert figures["programmable_usd"] == figures["received_usd"] - figures["psc_usd"]
    assert figures["available_usd"] == figures["programmable_usd"] - figures["committed_usd"]
    assert figures["available_usd"] >= 0
    drawn = defaultdict(lambda: D("0.00"))
    for grant_id, per_contribution in state["attributed"].items():
        assert all(amount >= 0 for amount in per_contribution.values())
        g = state["grant"][grant_id]
        assert sum(per_contribution.values()) == g[K.commitment] - g[K.release] - g[K.refund]
        for contribution_id, amount in per_contribution.items():
            drawn[contribution_id] += amount
    assert sum(drawn.values(), D("0.00")) == figures["committed_usd"]
    assert all(drawn[c] <= state["programmable"][c] for c in drawn if c is not None)
    by_donor = sum((sum(g["attributed_usd"] for g in services.donor_summary(donor)["grants"])
                    for donor in db.session.scalars(select(Donor))), D("0.00"))
    assert by_donor + drawn[None] == figures["committed_usd"]


def receipts_are_exact() -> None:
    for c in db.session.scalars(select(Contribution).where(Contribution.status == ContributionStatus.received)):
        kinds = {e.kind: e.amount_usd for e in db.session.scalars(
            select(LedgerEntry).where(LedgerEntry.contribution_id == c.id, LedgerEntry.kind.in_([K.received, K.psc])))}
        assert kinds[K.received] == cents(c.amount * c.usd_rate)
        assert kinds.get(K.psc, D("0.00")) == cents(kinds[K.received] * D("0.13"))


def allowed(op: str, g: dict, available: Decimal) -> Decimal:
    """What the rule lets this step move, from the Python recomputation."""
    return {"commit": available,
            "disburse": g[K.commitment] - g[K.release] - g[K.disbursement],
            "release": g[K.commitment] - g[K.release] - g[K.disbursement],
            "refund": g[K.disbursement] - g[K.refund],
            "reverse": g[K.expenditure] - g[K.expenditure_reversal],
            "expend": None}[op]  # expenditure has no cap in the fund (the grants part judges reports)


WRITERS = {"disburse": services.record_disbursement, "expend": services.record_expenditure,
           "reverse": services.reverse_expenditure, "release": services.release_commitment,
           "refund": services.record_refund}


def run_step(staff, donors, step) -> None:
    op = step[0]
    if op == "contribute":
        _, donor, amount, rate, status, earmark = step
        try:
            services.record_contribution(staff, donors[donor], amount, "EUR", rate, status, DAY, earmark)
        except ValidationFailed:
            assert cents(amount * rate) == 0  # worth less than a cent: refused
        return
    if op == "receive":
        pledges = db.session.scalars(select(Contribution).where(Contribution.status == ContributionStatus.pledged)
                                     .order_by(Contribution.id)).all()
        if pledges:
            pledge = pledges[step[1] % len(pledges)]
            try:
                services.receive_contribution(staff, pledge, DAY, step[2])
            except ValidationFailed:
                assert cents(pledge.amount * step[2]) == 0
        return
    state = recomputed()
    grant_id, percent = step[1] + 1, step[2]
    limit = allowed(op, state["grant"][grant_id], state["figures"]["available_usd"])
    amount = max(cents((limit or D("1000.00")) * percent / 100), D("0.01"))
    refused = InsufficientFunds if op == "commit" else Conflict
    try:
        if op == "commit":
            services.commit_funds(staff, grant_id, amount, step[3], DAY)
        else:
            WRITERS[op](staff, grant_id, amount, DAY)
    except refused:
        assert limit is not None and amount > limit, f"{op} of {amount} refused within {limit}"
    else:
        assert limit is None or amount <= limit, f"{op} of {amount} allowed beyond {limit}"


class Ledger(RuleBasedStateMachine):
    """Random contributions, receipts, commitments and the grants' money moves, each
    checked against what the rule allows; after every step the figures equal a
    recomputation over the entries and every receipt is exact. Money comes first
    (initialize), so that the later steps have something to move."""

    staff = None  # set by the test, committed once

    def __init__(self):
        super().__init__()
        self.donors = [services.create_donor(self.staff, name, "NOR") for name in ("Norway", "Sweden", "Japan")]

    @initialize(donor=st.integers(0, 2), amount=amounts, rate=rates, earmark=earmarks)
    def first_receipt(self, donor, amount, rate, earmark):
        self.contribute(donor, amount, rate, "received", earmark)

    @rule(donor=st.integers(0, 2), amount=amounts, rate=rates, status=st.sampled_from(["pledged", "received"]),
          earmark=earmarks)
    def contribute(self, donor, amount, rate, status, earmark):
        run_step(self.staff, self.donors, ("contribute", donor, amount, rate, status, earmark))

    @rule(pledge=st.integers(0, 9), rate=rates)
    def receive(self, pledge, rate):
        run_step(self.staff, self.donors, ("receive", pledge, rate))

    @rule(grant=grants, percent=share,
          wanted=st.lists(st.sampled_from(["theme:legislation", "region:Africa"]), max_size=2))
    def commit(self, grant, percent, wanted):
        run_step(self.staff, self.donors, ("commit", grant, percent, wanted))

    # Weighted towards the grants' money: most steps move it.
    @rule(op=st.sampled_from(["disburse", "disburse", "expend", "reverse", "release", "refund", "refund"]),
          grant=grants, percent=share)
    def move(self, op, grant, percent):
        run_step(self.staff, self.donors, (op, grant, percent))

    @invariant()
    def balanced(self):
        check_balanced(recomputed())
        receipts_are_exact()

    def teardown(self):
        db.session.rollback()


def test_random_sequences_keep_the_ledger_balanced(app):
    Ledger.staff = make_user("secretariat")
    run(Ledger, examples=40, steps=20)
    assert db.session.scalars(select(LedgerEntry)).first() is None  # each example rolled back


@settings(max_examples=300, deadline=None, database=None)
@given(caps=st.lists(amounts, min_size=1, max_size=8), percent=st.integers(min_value=0, max_value=110))
def test_a_split_sums_exactly_and_keeps_every_share_within_its_balance(caps, percent):
    balances = dict(enumerate(caps))
    total = sum(caps)
    amount = max(cents(total * percent / 100), D("0.01"))
    shares = ledger.split(amount, balances)
    assert sum(shares.values()) == min(amount, total)
    assert all(D("0") < share <= balances[key] and share == cents(share) for key, share in shares.items())


def test_a_split_rounds_half_up_with_the_remainder_on_the_largest_share():
    assert ledger.split(D("100.00"), {"a": D("87.00"), "b": D("87.00"), "c": D("87.00")}) == {
        "a": D("33.34"), "b": D("33.33"), "c": D("33.33")}
    # Four equal shares of two cents round to four cents: the excess comes off, never below zero.
    assert ledger.split(D("0.02"), dict.fromkeys("abcd", D("1.00"))) == {"c": D("0.01"), "d": D("0.01")}
