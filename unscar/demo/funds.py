"""The demo fund: donors of several countries whose contributions arrive each spring since
the first demo call (2017) in EUR, NOK, CHF and USD at the day's rate (about USD 1.2
million a year), pledges for next year not yet received, and the donors' decisions on the past calls: each
historic call receives proposals, screens them and approves most, so the ledger holds the
commitments of a real fund of this size. Everything goes through the services, with the
clock at each moment, so the audit log and the ledger carry the historic dates."""
import random
from datetime import date, datetime, timezone
from decimal import Decimal

from ..calls.models import Call, CallStatus
from ..dates import freeze_clock, utcnow
from ..decisions import recording
from ..funds import services as funds
from ..proposals import services as proposals
from ..screening import services as screening
from .proposals import _budget, _content

# (name, country, currency, amount a year in that currency, its USD rate around 2020)
DONORS = [
    ("Federal Republic of Germany", "DEU", "EUR", Decimal("400000"), Decimal("1.0850")),
    ("Kingdom of Norway", "NOR", "NOK", Decimal("3000000"), Decimal("0.0950")),
    ("Swiss Confederation", "CHE", "CHF", Decimal("200000"), Decimal("1.1020")),
    ("Kingdom of the Netherlands", "NLD", "EUR", Decimal("150000"), Decimal("1.0850")),
    ("Commonwealth of Australia", "AUS", "USD", Decimal("150000"), Decimal("1")),
]
PROPOSALS_PER_PAST_CALL = 8
REJECTED_PER_PAST_CALL = 1


def _moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=timezone.utc)


def _rate(rate: Decimal, year: int) -> Decimal:
    """The day's rate, moving a little from year to year (entered by the secretariat)."""
    return (rate * (1 + Decimal((year * 7) % 9 - 4) / 100)).quantize(Decimal("0.000001"))


class DemoFund:
    """Receives each year's contributions and records the past calls' decisions; called
    after each transition of each demo call, with the clock at that moment."""

    def __init__(self, secretariat, applicants, seed: int = 2013):
        self.secretariat = secretariat
        self.applicants = applicants
        self.rng = random.Random(seed)
        self.donors = []
        self.received_years: set[int] = set()
        self.made: dict[int, list] = {}
        # The year the demo is loaded in: the calls play at their own dates with the clock
        # frozen, so utcnow() during a transition is that call's moment, not today.
        self.today = utcnow().date()

    def _at(self, day: date, work) -> None:
        """Run `work` with the clock on `day`, then put the clock back where it was."""
        now = utcnow()
        freeze_clock(_moment(day))
        try:
            work()
        finally:
            freeze_clock(now)

    def receive(self, year: int) -> None:
        """The year's contributions, received on 15 March (or today, this year, if earlier)."""
        if year in self.received_years:
            return
        self.received_years.add(year)
        day = min(date(year, 3, 15), self.today)

        def work():
            if not self.donors:
                self.donors = [funds.create_donor(self.secretariat, name, country) for name, country, *_ in DONORS]
            for donor, (_name, _country, currency, amount, rate) in zip(self.donors, DONORS):
                funds.record_contribution(self.secretariat, donor, amount, currency, _rate(rate, year), "received",
                                          day)
        self._at(day, work)

    def pledge_next_year(self) -> None:
        """Three donors have pledged next year's contribution; nothing is received yet."""
        today = self.today
        for donor, (_name, _country, currency, amount, rate) in list(zip(self.donors, DONORS))[:3]:
            funds.record_contribution(self.secretariat, donor, amount, currency, _rate(rate, today.year), "pledged",
                                      today)

    def __call__(self, call: Call, status: CallStatus) -> None:
        self.receive(call.year)
        if call.year >= self.today.year:
            return  # this year's calls are the proposals and reviews demos'
        if status == CallStatus.open:
            self._submit(call)
        elif status == CallStatus.closed:
            for proposal in self.made.get(call.id, []):
                screening.screen_proposal(self.secretariat, proposal, "eligible", "Meets every rule of the call.")
        elif status == CallStatus.in_review:
            self._decide(call)

    def _submit(self, call: Call) -> None:
        eligible = [u for u in self.applicants if u.organisation.type.value in call.eligible_applicant_types]
        made = []
        for number in range(PROPOSALS_PER_PAST_CALL):
            owner = eligible[(number + call.year) % len(eligible)]
            content = _content(self.rng, call, owner.organisation, number)
            proposal = proposals.create_proposal(owner, call, content)
            proposals.replace_budget(owner, proposal, _budget(self.rng, call, content["duration_months"]))
            proposals.submit_proposal(owner, proposal)
            made.append(proposal)
        self.made[call.id] = made

    def _decide(self, call: Call) -> None:
        made = self.made.get(call.id, [])
        for number, proposal in enumerate(made):
            if number >= len(made) - REJECTED_PER_PAST_CALL:
                recording.record_decision(self.secretariat, proposal, "rejected", None,
                                          "Outside this year's priorities set by the Strategic Planning Group.",
                                          f"SPG {call.year}/2")
                continue
            # Some approvals trim the request to a round figure, as the donors often do.
            amount = proposal.requested_usd if number % 3 else (proposal.requested_usd // 1000) * 1000
            recording.record_decision(self.secretariat, proposal, "approved", amount,
                                      "A clear results framework and national ownership; approved by the donors.",
                                      f"SPG {call.year}/2")
