"""Proposals' lives as a hypothesis state machine over the real services: drafting,
editing, submission, reopening, withdrawal, screening, the donors' decisions (approvals
commit money from a fund that holds less than everyone asks for) and the call moving on.

After every step each proposal is where DESIGN.md's table puts it, its history is a chain
of allowed transitions with one audit event each, a refused step changed nothing, and the
fund never commits more than it holds: committed = the approved amounts, one grant each."""
from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy import select

from tests.bodies import budget_json, call_values, proposal_json
from tests.factories import make_user
from tests.machines import attempt, audit_events, run
from unscar.api.io import load
from unscar.calls import services as calls
from unscar.calls.models import CallStatus
from unscar.dates import utcnow
from unscar.decisions import recording
from unscar.errors import InsufficientFunds, ValidationFailed
from unscar.extensions import db
from unscar.funds import services as funds
from unscar.grants.models import Grant
from unscar.proposals import services as proposals
from unscar.proposals.models import Proposal, StatusChange
from unscar.proposals.models import ProposalStatus as P
from unscar.proposals.schemas import BudgetInSchema, ProposalInSchema
from unscar.screening import services as screening

# DESIGN.md "Transitions", written out here rather than read from the code under test.
ALLOWED = {(None, P.draft), (P.draft, P.submitted), (P.submitted, P.draft), (P.submitted, P.withdrawn),
           (P.under_review, P.withdrawn), (P.submitted, P.under_review), (P.submitted, P.screened_out),
           (P.under_review, P.approved), (P.under_review, P.rejected)}
DECIDABLE = {P.under_review, P.recommended, P.not_recommended}
WITHDRAWABLE = {P.submitted} | DECIDABLE
APPLICANTS = 3
FUND_USD = Decimal("60000.00")  # less than one full request after support costs: approvals compete
pick = st.integers(0, 7)
fit = st.booleans()


class ProposalLife(RuleBasedStateMachine):
    staff = applicants = None  # set by the test, committed once
    reached: set = set()  # over all examples: the states reached and the refusals met

    def __init__(self):
        super().__init__()
        self.call = calls.create_call(self.staff, call_values())
        calls.change_status(self.staff, self.call, CallStatus.open)
        donor = funds.create_donor(self.staff, "Kingdom of Norway", "NOR")
        funds.record_contribution(self.staff, donor, FUND_USD, "USD", Decimal("1"), "received", utcnow().date())
        self.available = funds.fund_figures()["available_usd"]
        self.approved: dict[int, Decimal] = {}
        self.proposals: list[Proposal] = []
        self.expected: dict[int, P] = {}

    def snapshot(self):
        db.session.flush()
        return (self.call.status, tuple((p.status, p.title, p.deleted_at) for p in self.proposals),
                funds.fund_figures()["committed_usd"], db.session.scalars(select(StatusChange.id)).all())

    def _one(self, index: int, fit: bool = False, states=()) -> Proposal:
        """The index-th proposal, or, when `fit`, the index-th of those in `states` (if any):
        half the steps aim at a proposal the step suits, so that the long paths are walked."""
        suited = [p for p in self.proposals if self.expected[p.id] in states] if fit else []
        chosen = suited or self.proposals
        return chosen[index % len(chosen)]

    def _step(self, proposal, expected_to, action):
        """Run `action`; it must succeed exactly when `expected_to` is not None."""
        before = self.expected[proposal.id]
        with attempt(self.snapshot) as refused:
            action()
        assert bool(refused) == (expected_to is None), (
            f"{before.value} -> {expected_to.value if expected_to else 'refused'}: {refused or 'allowed'}")
        if expected_to is not None:
            self.expected[proposal.id] = expected_to
            self.reached.add((before, expected_to))

    @initialize(stages=st.lists(st.sampled_from([P.draft, P.submitted, P.under_review, P.screened_out]),
                                min_size=APPLICANTS, max_size=APPLICANTS))
    def one_from_each_applicant(self, stages):
        """A proposal from each applicant taken to `stages` through the same checked steps,
        so that the later states are a step or two away."""
        for who, stage in enumerate(stages):
            self.start(who)
            index = len(self.proposals) - 1
            if stage is not P.draft:
                self.submit(index, False)
            if stage in (P.under_review, P.screened_out):
                self.screen(index, False, stage is P.under_review)

    @rule(who=st.integers(0, APPLICANTS - 1))
    def start(self, who):
        applicant = self.applicants[who]
        open_ = self.call.status is CallStatus.open
        with attempt(self.snapshot) as refused:
            proposal = proposals.create_proposal(applicant, self.call, load(ProposalInSchema(), proposal_json()))
            proposals.replace_budget(applicant, proposal, load(BudgetInSchema(), budget_json())["lines"])
        assert bool(refused) != open_, f"a draft on a {self.call.status.value} call: {refused or 'allowed'}"
        if open_:
            self.proposals.append(proposal)
            self.expected[proposal.id] = P.draft

    @precondition(lambda self: self.proposals)
    @rule(i=pick, title=st.sampled_from(["Arms control training", "Stockpile records"]))
    def edit(self, i, title):
        proposal = self._one(i)
        status = self.expected[proposal.id]
        self._step(proposal, status if status is P.draft else None,
                   lambda: proposals.update_proposal(self._owner(proposal), proposal, {"title": title}))

    @precondition(lambda self: self.proposals)
    @rule(i=pick, aim=fit)
    def submit(self, i, aim):
        proposal = self._one(i, aim, {P.draft})
        status = self.expected[proposal.id]
        # A repeated submit answers with the first submission and changes nothing.
        ok = status is P.submitted or (status is P.draft and self.call.status is CallStatus.open)
        self._step(proposal, P.submitted if ok else None,
                   lambda: proposals.submit_proposal(self._owner(proposal), proposal))

    @precondition(lambda self: self.proposals)
    @rule(i=pick, aim=fit)
    def reopen(self, i, aim):
        proposal = self._one(i, aim, {P.submitted})
        ok = self.expected[proposal.id] is P.submitted  # the deadline is 30 days away
        self._step(proposal, P.draft if ok else None,
                   lambda: proposals.reopen_proposal(self._owner(proposal), proposal))

    @precondition(lambda self: self.proposals)
    @rule(i=pick, aim=fit)
    def withdraw(self, i, aim):
        proposal = self._one(i, aim, WITHDRAWABLE)
        ok = self.expected[proposal.id] in WITHDRAWABLE
        self._step(proposal, P.withdrawn if ok else None,
                   lambda: proposals.withdraw_proposal(self._owner(proposal), proposal, "Plans changed."))

    @precondition(lambda self: self.proposals)
    @rule(i=pick, aim=fit, eligible=st.booleans())
    def screen(self, i, aim, eligible):
        proposal = self._one(i, aim, {P.submitted})
        ok = self.expected[proposal.id] is P.submitted
        decision = "eligible" if eligible else "ineligible"
        self._step(proposal, (P.under_review if eligible else P.screened_out) if ok else None,
                   lambda: screening.screen_proposal(self.staff, proposal, decision, "Screened."))

    @precondition(lambda self: self.proposals)
    @rule(i=pick, aim=fit, approve=st.booleans(), share=st.sampled_from(["0.25", "0.5", "0.8", "1", "1.1"]))
    def decide(self, i, aim, approve, share):
        proposal = self._one(i, aim, DECIDABLE)
        amount = (proposal.requested_usd * Decimal(share)).quantize(Decimal("0.01")) if approve else None
        ok = self.expected[proposal.id] in DECIDABLE and (
            not approve or amount <= min(proposal.requested_usd, self.available))
        before = funds.fund_figures()["committed_usd"]
        outcome = "approved" if approve else "rejected"
        # The fund's refusal now comes before the grant is written (funds.ensure_available);
        # tests/decisions checks that directly. half_done stays lenient here.
        with attempt(self.snapshot, half_done=InsufficientFunds) as refused:
            recording.record_decision(self.staff, proposal, outcome, amount, "The donors' decision.", "SPG-1")
        assert bool(refused) != ok, f"{outcome} {amount} of {self.expected[proposal.id].value}: {refused or 'ok'}"
        if refused and self.expected[proposal.id] in DECIDABLE and approve:
            assert isinstance(refused[0], ValidationFailed if amount > proposal.requested_usd else InsufficientFunds)
            self.reached.add(type(refused[0]).__name__)
        if ok:
            self.reached.add((self.expected[proposal.id], P(outcome)))
            self.expected[proposal.id] = P(outcome)
            if approve:
                self.approved[proposal.id] = amount
                self.available -= amount
                assert funds.fund_figures()["committed_usd"] == before + amount

    # Aimed decisions, each its own rule: left to `decide`'s draws alone, a run could miss one
    # of these outcomes altogether (the fund is smaller than one full request).
    @precondition(lambda self: any(s in DECIDABLE for s in self.expected.values()))
    @rule(i=pick, kind=st.sampled_from([(False, "1"), (True, "0.25"), (True, "1"), (True, "1.1")]))
    def decide_aimed(self, i, kind):
        self.decide(i, True, *kind)

    @rule(to=st.sampled_from([CallStatus.closed, CallStatus.in_review]))
    def move_call(self, to):
        waiting = any(s is P.submitted for s in self.expected.values())
        ok = (self.call.status, to) == (CallStatus.open, CallStatus.closed) or (
            (self.call.status, to) == (CallStatus.closed, CallStatus.in_review) and not waiting)
        with attempt(self.snapshot) as refused:
            calls.change_status(self.staff, self.call, to)
        assert bool(refused) != ok

    def _owner(self, proposal):
        return next(a for a in self.applicants if a.organisation_id == proposal.organisation_id)

    @invariant()
    def each_proposal_where_the_table_says(self):
        for proposal in self.proposals:
            db.session.refresh(proposal)
            assert proposal.status is self.expected[proposal.id]
            chain = db.session.execute(select(StatusChange.from_status, StatusChange.to_status).where(
                StatusChange.proposal_id == proposal.id).order_by(StatusChange.id)).tuples().all()
            assert all(step in ALLOWED for step in chain), chain
            assert all(a[1] == b[0] for a, b in zip(chain, chain[1:])) and chain[-1][1] is proposal.status
            moves = [a for a, object_id in audit_events("proposal.") if object_id == proposal.id
                     and a.split(".")[1] in P.__members__]
            assert len(moves) == len(chain) - 1  # one audit event per transition after creation

    @invariant()
    def the_fund_never_commits_more_than_it_holds(self):
        figures = funds.fund_figures()
        assert figures["available_usd"] == self.available >= 0
        assert figures["committed_usd"] == sum(self.approved.values(), Decimal("0.00"))
        grants = dict(db.session.execute(select(Grant.proposal_id, Grant.approved_usd)).tuples().all())
        assert grants == self.approved

    def teardown(self):
        db.session.rollback()


def test_random_steps_keep_proposals_on_their_transitions_table(app):
    ProposalLife.staff = make_user("secretariat")
    ProposalLife.applicants = [make_user("applicant") for _ in range(APPLICANTS)]
    wanted = ALLOWED - {(None, P.draft)} | {"InsufficientFunds", "ValidationFailed"}
    run(ProposalLife, examples=25, steps=30, wanted=wanted)
    assert wanted <= ProposalLife.reached, wanted - ProposalLife.reached
    assert db.session.scalars(select(Proposal)).first() is None  # each example rolled back
