"""The demo grants' lives, played through the grants' services with the clock at each step:
the first tranche paid, interim and final reports filed and reviewed, the second tranche
paid, revisions and extensions, closure with the unspent balance refunded. Grants long
ended are closed; those running today show every state a secretariat meets: reports
overdue, returned, awaiting review, a pending revision, an extension, a suspension, and a
grant past its end whose final reports are not in yet ("closing").

Nothing happens after today: a step whose day has not come yet is left for the user.
"""
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..dates import freeze_clock, utcnow
from ..extensions import db
from ..funds import services as funds
from ..grants import closure, disbursements, reports, revisions, suspension
from ..grants.budget import current_budget
from ..grants.models import Grant, Report, ReportKind, ReportStage, ReportStatus
from ..grants.report_checks import framework_indicators
from ..grants.tranches import due_now_usd
from ..money import round_cents
from .funds import _moment

# The share of each category's budget reported as spent in the interim and the final reports.
INTERIM_SPENT, FINAL_SPENT = Decimal("0.45"), Decimal("0.50")
# What becomes of the running grants past their mid-term, in turn.
RUNNING_STATES = ("returned", "awaiting_review", "overdue", "revision_pending", "extended", "suspended", "on_track")


class DemoGrants:
    """Plays each demo grant's life up to today; call it once the past calls are decided."""

    def __init__(self, secretariat, applicants):
        self.secretariat = secretariat
        self.grantees = {user.organisation_id: user for user in applicants}
        self.today = utcnow().date()

    def __call__(self) -> None:
        grants = db.session.scalars(select(Grant).options(selectinload(Grant.reports), selectinload(Grant.proposal))
                                    .order_by(Grant.id)).all()
        lives = [(grant, self.grantees[grant.organisation_id]) for grant in grants
                 if grant.start_date and grant.end_date and grant.organisation_id in self.grantees]
        ended = sorted((life for life in lives if life[0].end_date < self.today), key=lambda life: life[0].end_date)
        running = [life for life in lives if life[0].end_date >= self.today]
        for number, (grant, grantee) in enumerate(ended[:-1]):
            self._closed_life(grant, grantee, number)
        if ended:  # the latest to end is not closed yet: its final reports are overdue
            self._running_life(*ended[-1], "closing")
        past_midterm = sorted((life for life in running if self._interim_due(life[0]) < self.today),
                              key=lambda life: self._interim_due(life[0]))
        for number, (grant, grantee) in enumerate(past_midterm):
            self._running_life(grant, grantee, RUNNING_STATES[number % len(RUNNING_STATES)])
        for grant, grantee in running:
            if (grant, grantee) not in past_midterm:
                self._pay_due(grant, grant.start_date)
        freeze_clock(None)

    # --- steps -------------------------------------------------------------------------

    def _on(self, day: date) -> bool:
        """Put the clock on `day` if it has come; False when it lies ahead."""
        if day > self.today:
            return False
        freeze_clock(_moment(day))
        return True

    @staticmethod
    def _report(grant: Grant, stage: ReportStage, kind: ReportKind) -> Report:
        return next(r for r in grant.reports if r.stage is stage and r.kind is kind)

    def _pay_due(self, grant: Grant, day: date) -> None:
        if self._on(day):
            amount = due_now_usd(grant, day)
            if amount > 0:
                disbursements.disburse(self.secretariat, grant, amount, day)
                db.session.commit()

    def _file(self, grant: Grant, grantee, stage: ReportStage, share: Decimal, day: date) -> bool:
        """The financial and narrative reports of `stage`, filed on `day`; False if it has not come."""
        if not self._on(day):
            return False
        scheduled = self._report(grant, stage, ReportKind.financial)
        start, end = scheduled.period_start, scheduled.period_end
        lines = [{"category": category.value, "amount_usd": round_cents(budget * share)}
                 for category, budget in current_budget(grant).items()]
        reports.file_financial_report(grantee, grant, start, end, lines)
        indicators = [{"indicator": text, "value": "On track: about half of the target reached."
                       if stage is ReportStage.interim else "Target reached."}
                      for text in framework_indicators(grant.proposal.results)]
        reports.file_narrative_report(grantee, grant, start, end,
                                      "Activities ran as planned; the national focal points took part throughout.",
                                      indicators)
        db.session.commit()
        return True

    def _review(self, grant: Grant, stage: ReportStage, day: date, returned: ReportKind | None = None) -> bool:
        if not self._on(day):
            return False
        for kind in ReportKind:
            report = self._report(grant, stage, kind)
            if report.status is not ReportStatus.submitted:
                continue
            if kind is returned:
                reports.review_report(self.secretariat, report, "returned",
                                      "Please give the travel costs per trip and attach the boarding passes' list.")
            else:
                reports.review_report(self.secretariat, report, "accepted", "")
        db.session.commit()
        return True

    def _reallocate(self, grant: Grant, grantee, day: date, decide: bool = True) -> None:
        """Move 5% of the largest category to the smallest one (the total does not grow)."""
        if not self._on(day):
            return
        budget = current_budget(grant)
        if len(budget) < 2:
            return
        largest = max(budget, key=budget.get)
        smallest = min(budget, key=budget.get)
        moved = round_cents(budget[largest] * Decimal("0.05"))
        revision = revisions.request_revision(
            grantee, grant, [{"category": largest.value, "budget_usd": budget[largest] - moved},
                             {"category": smallest.value, "budget_usd": budget[smallest] + moved}],
            None, "Workshop venues were cheaper than planned; we need more for the field visits.")
        db.session.commit()
        if decide and self._on(day + timedelta(days=7)):
            revisions.decide_revision(self.secretariat, revision, "approved", "Within the fund's rules.")
            db.session.commit()

    # --- lives -------------------------------------------------------------------------

    def _interim_due(self, grant: Grant) -> date:
        return self._report(grant, ReportStage.interim, ReportKind.financial).due_date

    def _closed_life(self, grant: Grant, grantee, number: int) -> None:
        self._pay_due(grant, grant.start_date)
        interim = self._interim_due(grant)
        if number % 4 == 1:
            self._reallocate(grant, grantee, interim - timedelta(days=40))
        self._file(grant, grantee, ReportStage.interim, INTERIM_SPENT, interim - timedelta(days=5))
        if number % 6 == 2:  # returned once, corrected, then accepted
            self._review(grant, ReportStage.interim, interim + timedelta(days=10), returned=ReportKind.financial)
            report = self._report(grant, ReportStage.interim, ReportKind.financial)
            self._on(interim + timedelta(days=20))
            reports.correct_report(grantee, report, report.period_start, report.period_end,
                                   lines=[{"category": line.category.value, "amount_usd": line.amount_usd}
                                          for line in report.lines])
            db.session.commit()
            self._review(grant, ReportStage.interim, interim + timedelta(days=25))
        else:
            self._review(grant, ReportStage.interim, interim + timedelta(days=14))
        self._pay_due(grant, interim + timedelta(days=30))
        self._file(grant, grantee, ReportStage.final, FINAL_SPENT, grant.end_date + timedelta(days=45))
        self._review(grant, ReportStage.final, grant.end_date + timedelta(days=60))
        self._on(grant.end_date + timedelta(days=75))
        refund = closure.refundable_usd(funds.grant_figures(grant.id))  # the unspent cash comes back
        closure.close_grant(self.secretariat, grant, refund, grant.end_date + timedelta(days=75))
        db.session.commit()

    def _running_life(self, grant: Grant, grantee, state: str) -> None:
        """A grant past its mid-term, left in `state` (RUNNING_STATES, or closing)."""
        self._pay_due(grant, grant.start_date)
        if state == "overdue":
            return  # the interim reports were never filed
        interim = self._interim_due(grant)
        self._file(grant, grantee, ReportStage.interim, INTERIM_SPENT, interim - timedelta(days=3))
        if state == "returned":
            self._review(grant, ReportStage.interim, interim + timedelta(days=2), returned=ReportKind.financial)
            return
        if state == "awaiting_review":
            return
        self._review(grant, ReportStage.interim, interim + timedelta(days=2))
        self._pay_due(grant, interim + timedelta(days=3))
        if state == "revision_pending":
            self._reallocate(grant, grantee, interim + timedelta(days=4), decide=False)
        elif state == "extended" and self._on(interim + timedelta(days=4)):
            revision = revisions.request_revision(grantee, grant, [], grant.end_date + timedelta(days=120),
                                                  "Elections postponed the national consultations by three months.")
            revisions.decide_revision(self.secretariat, revision, "approved", "A no-cost extension, agreed.")
            db.session.commit()
        elif state == "suspended" and self._on(interim + timedelta(days=4)):
            suspension.set_suspension(self.secretariat, grant, "suspended",
                                      "Audit findings on the partner's procurement are being reviewed.")
            db.session.commit()
