"""A grant's life as a hypothesis state machine over the real services: disbursements
(within what is due, beyond it with a reason), reports filed, corrected, accepted and
returned, revisions (no-cost extensions) requested and decided, suspension and resumption,
and closure with a refund.

After every step the grant's status is where DESIGN.md puts it; no more is disbursed than
approved, nor beyond what is due without a reason; the ledger's disbursed and spent equal
the disbursements and the counted financial reports; the commitment is the approved amount
until closure and what was kept after it; each status change and each successful step
wrote audit events; a refused step changed nothing."""
from datetime import timedelta
from decimal import Decimal

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from sqlalchemy import select

from tests.bodies import budget_json, call_values, proposal_json
from tests.factories import make_user
from tests.machines import attempt, audit_count, audit_events, run
from unscar.api.io import load
from unscar.calls import services as calls
from unscar.calls.models import CallStatus
from unscar.dates import utcnow
from unscar.decisions import recording
from unscar.errors import InvalidTransition, ValidationFailed
from unscar.extensions import db
from unscar.funds import services as funds
from unscar.grants import closure, disbursements, reports, revisions, suspension
from unscar.grants.models import Disbursement, GrantStatus, ReportKind, ReportStage, ReportStatus, RevisionStatus
from unscar.proposals import services as proposals
from unscar.proposals.schemas import BudgetInSchema, ProposalInSchema
from unscar.screening import services as screening

G = GrantStatus
R = ReportStatus
CENT = Decimal("0.01")
STATUS_ACTIONS = ("grant.suspended", "grant.resumed", "grant.closed", "grant.status_changed")
COUNTED = (R.submitted, R.accepted)  # a returned financial report's spending is reversed
pick = st.integers(0, 11)


def cents(value: Decimal) -> Decimal:
    return max(value.quantize(CENT), CENT)


class GrantLife(RuleBasedStateMachine):
    staff = grantee = None  # set by the test, committed once
    reached: set = set()

    def __init__(self):
        super().__init__()
        call = calls.create_call(self.staff, call_values())
        calls.change_status(self.staff, call, CallStatus.open)
        proposal = proposals.create_proposal(self.grantee, call, load(ProposalInSchema(), proposal_json()))
        proposals.replace_budget(self.grantee, proposal, load(BudgetInSchema(), budget_json())["lines"])
        proposals.submit_proposal(self.grantee, proposal)
        screening.screen_proposal(self.staff, proposal, "eligible", "Eligible.")
        donor = funds.create_donor(self.staff, "Kingdom of Norway", "NOR")
        funds.record_contribution(self.staff, donor, Decimal("1000000.00"), "USD", Decimal("1"), "received",
                                  utcnow().date())
        self.grant = recording.record_decision(self.staff, proposal, "approved", proposal.requested_usd,
                                               "Funded.", "SPG-1").grant
        self.status, self.extended, self.moves = G.active, False, 0
        # The interim period's end as scheduled: a filing may later take that slot with another period.
        self.middle = next(r.period_end for r in self.grant.reports if r.stage is ReportStage.interim)

    def snapshot(self):
        db.session.flush()
        g = self.grant
        return (g.status, g.end_date, len(g.disbursements), tuple((r.status, r.period_end) for r in g.reports),
                tuple(r.status for r in g.revisions), funds.grant_figures(g.id))

    # --- the model: what DESIGN.md says, from the rows' plain facts -------------------------

    def _paid(self) -> Decimal:
        return sum((d.amount_usd for d in self.grant.disbursements), Decimal("0.00"))

    def _due(self) -> Decimal:
        """The first tranche from approval; the next once both interim reports are accepted."""
        interim = [r for r in self.grant.reports if r.stage is ReportStage.interim]
        interim_ok = all(any(r.kind is k for r in interim) and all(r.status is R.accepted
                                                                   for r in interim if r.kind is k)
                         for k in ReportKind)
        tranches = self.grant.tranches
        due = tranches[0].amount_usd + (sum(t.amount_usd for t in tranches[1:]) if interim_ok else 0)
        return max(due - self._paid(), Decimal("0.00"))

    def _closable(self) -> bool:
        g = self.grant
        return (self.status in (G.active, G.extended) and not any(r.status is R.submitted for r in g.reports)
                and all(any(r.kind is k and r.period_end == g.end_date and r.status is R.accepted for r in g.reports)
                        for k in ReportKind))

    def _moved(self, to: GrantStatus) -> None:
        self.status, self.moves = to, self.moves + 1
        self.reached.add(to)

    def _check(self, name, expected, action):
        events = audit_count()
        with attempt(self.snapshot) as refused:
            action()
        why = [(error, getattr(error, "errors", None)) for error in refused]
        assert bool(refused) != expected, f"{name} on a {self.status.value} grant: {why or 'allowed'}"
        if expected:
            assert audit_count() > events, f"{name} wrote no audit event"
            self.reached.add(name)
        return refused

    # --- the steps --------------------------------------------------------------------------

    @rule(of_due=st.booleans(), share=st.sampled_from(["0.3", "1", "1", "1.5"]), reason=st.booleans())
    def disburse(self, of_due, share, reason):
        due, room = self._due(), self.grant.approved_usd - self._paid()
        amount = cents((due if of_due else room) * Decimal(share))
        ok = self.status in (G.active, G.extended) and amount <= room and (amount <= due or reason)
        self._check("disburse" if amount <= due else "disburse beyond due", ok, lambda: disbursements.disburse(
            self.staff, self.grant, amount, utcnow().date(), "Advance agreed." if reason else None))

    @rule(to=st.sampled_from(["suspended", "active"]))
    def suspend_or_resume(self, to):
        ok = self.status in (G.active, G.extended) if to == "suspended" else self.status is G.suspended
        self._check(to, ok, lambda: suspension.set_suspension(self.staff, self.grant, to, "The board decided."))
        if ok:
            self._moved(G.suspended if to == "suspended" else G.extended if self.extended else G.active)

    @rule(kind=st.sampled_from(list(ReportKind)), final=st.booleans(), spent=st.sampled_from(["0", "100", "5000"]))
    def file(self, kind, final, spent):
        g = self.grant
        start, end = (self.middle + timedelta(days=1), g.end_date) if final else (g.start_date, self.middle)
        ok = self.status is not G.closed
        if kind is ReportKind.financial:
            lines = [{"category": g.budget_lines[0].category.value, "amount_usd": spent}]
            self._check("file", ok, lambda: reports.file_financial_report(self.grantee, g, start, end, lines))
        else:
            progress = [{"indicator": "Officers certified", "value": "12"}]
            self._check("file", ok, lambda: reports.file_narrative_report(
                self.grantee, g, start, end, "Training went ahead.", progress))

    @rule()
    def final_reports_accepted(self):
        """The long way to closure in one step: returned reports corrected, both final
        reports filed, then every submitted report accepted, each a checked step above."""
        for _ in [r for r in self.grant.reports if r.status is R.returned]:
            self.correct(0)
        for kind in ReportKind:
            self.file(kind, True, "100")
        for _ in [r for r in self.grant.reports if r.status is R.submitted]:
            self.review(0, True)

    @rule(i=pick, accept=st.booleans())
    def review(self, i, accept):
        submitted = [r for r in self.grant.reports if r.status is R.submitted]
        report = (submitted or self.grant.reports)[i % len(submitted or self.grant.reports)]
        decision = "accepted" if accept else "returned"
        self._check(f"report {decision}", report.status is R.submitted,
                    lambda: reports.review_report(self.staff, report, decision, "Seen by the secretariat."))

    @rule()
    def returned_and_corrected(self):
        """The grantee's usual round, in one step: a submitted report sent back, then
        corrected (left to chance, returning and correcting meet too rarely to be sure)."""
        if any(r.status is R.submitted for r in self.grant.reports):
            self.review(0, False)
            self.correct(0)

    @rule(i=pick)
    def correct(self, i):
        returned = [r for r in self.grant.reports if r.status is R.returned]
        report = (returned or self.grant.reports)[i % len(returned or self.grant.reports)]
        ok = report.status is R.returned and self.status is not G.closed
        lines = [{"category": self.grant.budget_lines[0].category.value, "amount_usd": "50"}]
        indicators = [{"indicator": "Officers certified", "value": "20"}]
        self._check("correct", ok, lambda: reports.correct_report(
            self.grantee, report, report.period_start, report.period_end, lines=lines,
            text="Corrected account.", indicators=indicators))

    @rule(days=st.sampled_from([60, 180]))
    def request_extension(self, days):
        pending = any(r.status is RevisionStatus.pending for r in self.grant.revisions)
        end = self.grant.end_date + timedelta(days=days)
        self._check("revision requested", self.status is not G.closed and not pending,
                    lambda: revisions.request_revision(self.grantee, self.grant, [], end, "Elections delayed us."))

    @rule(decision=st.sampled_from(["rejected", "approved"]))
    def decide_revision(self, decision):
        pending = [r for r in self.grant.revisions if r.status is RevisionStatus.pending]
        revision = (pending or self.grant.revisions or [None])[0]
        if revision is None:
            return
        ok = bool(pending) and self.status is not G.closed
        self._check(f"revision {decision}", ok, lambda: revisions.decide_revision(self.staff, revision, decision))
        if ok and decision == "approved":
            self.extended = True
            if self.status is G.active:
                self._moved(G.extended)

    @rule(share=st.sampled_from(["0", "0.5", "1", "1.5"]))
    def close(self, share):
        f = funds.grant_figures(self.grant.id)
        unspent = max(f["disbursed_usd"] - f["spent_usd"] - f["refunded_usd"], Decimal("0.00"))
        refund = (unspent * Decimal(share)).quantize(CENT)
        closable = self._closable()
        refused = self._check("close", closable and refund <= unspent,
                              lambda: closure.close_grant(self.staff, self.grant, str(refund)))
        if refused:
            assert isinstance(refused[0], ValidationFailed if closable else InvalidTransition), refused
        else:
            self._moved(G.closed)
            self.refunded = refund

    # --- after every step -------------------------------------------------------------------

    @invariant()
    def status_where_the_table_says(self):
        db.session.refresh(self.grant)
        assert self.grant.status is self.status
        changes = [a for a, object_id in audit_events("grant.") if a in STATUS_ACTIONS and object_id == self.grant.id]
        assert len(changes) == self.moves

    @invariant()
    def money_adds_up(self):
        g, f = self.grant, funds.grant_figures(self.grant.id)
        paid = sum(db.session.scalars(select(Disbursement.amount_usd).where(Disbursement.grant_id == g.id)),
                   Decimal("0.00"))
        assert f["disbursed_usd"] == paid == self._paid() <= g.approved_usd
        assert f["spent_usd"] == sum((reports.total_of(r) for r in g.reports
                                      if r.kind is ReportKind.financial and r.status in COUNTED), Decimal("0.00"))
        kept = g.approved_usd if self.status is not G.closed else paid - self.refunded
        assert f["committed_usd"] == kept
        assert funds.fund_figures()["available_usd"] >= 0
        overrides = [d for d in g.disbursements if d.override_reason]
        assert all(d.override_reason == "Advance agreed." for d in overrides)

    def teardown(self):
        db.session.rollback()


def test_random_steps_keep_a_grant_on_its_rules(app):
    GrantLife.staff = make_user("secretariat")
    GrantLife.grantee = make_user("applicant")
    steps = {"disburse", "disburse beyond due", "suspended", "active", "file", "report accepted", "report returned",
             "correct", "revision requested", "revision approved", "revision rejected"}
    wanted = steps | {"close", G.suspended, G.extended, G.closed}
    run(GrantLife, examples=50, steps=25, wanted=wanted)
    assert wanted <= GrantLife.reached, wanted - GrantLife.reached
