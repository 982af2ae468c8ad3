"""A call's life as a hypothesis state machine over the real services: random moves to any
state, edits, and proposals submitted, screened and decided on it. After every step the
call is where DESIGN.md's table says (draft → open → closed → in_review → decided →
archived, each move only when its condition holds), each move wrote one audit event, and a
refused move or edit changed nothing."""
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import select

from tests.bodies import budget_json, call_values, proposal_json
from tests.factories import make_user
from tests.machines import attempt, audit_events, run
from unscar.api.io import load
from unscar.calls import services as calls
from unscar.calls.models import CallStatus
from unscar.decisions import recording
from unscar.extensions import db
from unscar.proposals import services as proposals
from unscar.proposals.models import Proposal, ProposalStatus
from unscar.proposals.schemas import BudgetInSchema, ProposalInSchema
from unscar.screening import services as screening

S = CallStatus
NEXT = {S.draft: S.open, S.open: S.closed, S.closed: S.in_review, S.in_review: S.decided, S.decided: S.archived}
AWAITING_DECISION = {ProposalStatus.under_review, ProposalStatus.recommended, ProposalStatus.not_recommended}
APPLICANTS = 3


class CallLife(RuleBasedStateMachine):
    staff = applicants = None  # set by the test, committed once

    def __init__(self):
        super().__init__()
        self.call = calls.create_call(self.staff, call_values())
        self.status = S.draft
        self.moves = 0
        self.proposals: list[Proposal] = []

    def snapshot(self):
        db.session.flush()
        return (self.call.status, self.call.title, self.call.envelope_usd,
                tuple(p.status for p in self.proposals))

    def _in(self, statuses) -> int:
        return sum(p.status in statuses for p in self.proposals)

    def _allowed(self, to: CallStatus) -> bool:
        if NEXT.get(self.status) != to:
            return False
        if to is S.in_review:
            return not self._in({ProposalStatus.submitted})
        if to is S.decided:
            return not self._in(AWAITING_DECISION)
        return True

    reached: set = set()

    @rule()
    def advance(self):
        if self.status in NEXT:
            self.move(NEXT[self.status])

    @rule(to=st.sampled_from(list(S)))
    def move(self, to):
        expected = self._allowed(to)
        with attempt(self.snapshot) as refused:
            calls.change_status(self.staff, self.call, to)
        assert bool(refused) != expected, f"{self.status.value} -> {to.value}: {refused or 'allowed'}"
        if expected:
            self.status, self.moves = to, self.moves + 1
            self.reached.add(to)

    @rule(title=st.sampled_from(["Renamed call", "Arms Trade Treaty implementation in Africa and Asia"]),
          envelope=st.sampled_from(["1000000.00", "1500000.00"]), only_envelope=st.booleans())
    def edit(self, title, envelope, only_envelope):
        changes = {"envelope_usd": envelope} if only_envelope else {"title": title, "envelope_usd": envelope}
        # From open on the title may not even be sent (API.md PATCH /calls/{id}): any field
        # outside the editable ones is refused, changed or not.
        expected = self.status is S.draft or (self.status is not S.archived and only_envelope)
        with attempt(self.snapshot) as refused:
            calls.update_call(self.staff, self.call, changes)
        assert bool(refused) != expected, f"edit {changes} of a {self.status.value} call: {refused or 'allowed'}"

    @rule(who=st.integers(0, APPLICANTS - 1))
    def submit_proposal(self, who):
        applicant = self.applicants[who]
        expected = self.status is S.open
        with attempt(self.snapshot) as refused:
            proposal = proposals.create_proposal(applicant, self.call, load(ProposalInSchema(), proposal_json()))
            proposals.replace_budget(applicant, proposal, load(BudgetInSchema(), budget_json())["lines"])
            proposals.submit_proposal(applicant, proposal)
        assert bool(refused) != expected, f"a proposal on a {self.status.value} call: {refused or 'allowed'}"
        if expected:
            self.proposals.append(proposal)

    @rule(data=st.data(), eligible=st.booleans())
    def screen(self, data, eligible):
        waiting = [p for p in self.proposals if p.status is ProposalStatus.submitted]
        if waiting:
            proposal = data.draw(st.sampled_from(waiting))
            screening.screen_proposal(self.staff, proposal, "eligible" if eligible else "ineligible", "Screened.")

    @rule(data=st.data())
    def reject(self, data):
        waiting = [p for p in self.proposals if p.status in AWAITING_DECISION]
        if waiting:
            proposal = data.draw(st.sampled_from(waiting))
            recording.record_decision(self.staff, proposal, "rejected", None, "Outside the priorities.")

    @invariant()
    def where_the_table_says(self):
        db.session.refresh(self.call)
        assert self.call.status is self.status
        moves = audit_events("call.status_changed")
        assert len(moves) == self.moves and all(object_id == self.call.id for _, object_id in moves)

    def teardown(self):
        db.session.rollback()


def test_random_moves_keep_a_call_on_its_transitions_table(app):
    CallLife.staff = make_user("secretariat")
    CallLife.applicants = [make_user("applicant") for _ in range(APPLICANTS)]
    wanted = set(S) - {S.draft}
    run(CallLife, examples=15, steps=40, wanted=wanted)
    assert CallLife.reached == wanted  # every state was reached, archived included
    assert db.session.scalars(select(Proposal)).first() is None  # each example rolled back
