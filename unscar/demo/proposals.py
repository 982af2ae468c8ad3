"""Demo proposals on this year's calls, in every state reachable before review: drafts,
submitted, under review, screened out and withdrawn, with realistic budgets and results
frameworks. Made through the services while the call's clock is at the right moment."""
import random
from datetime import date
from decimal import Decimal

from ..calls.models import Call, CallStatus
from ..dates import utcnow
from ..proposals import services
from ..proposals.budget import line_amount
from ..proposals.models import ProposalStatus
from ..regions import region_of
from ..screening import services as screening

COUNTRIES = {"Africa": ["KEN", "GHA", "NGA", "SEN", "UGA", "CMR"], "Americas": ["PER", "COL", "BRA", "JAM"],
             "Asia": ["NPL", "PHL", "JOR", "KHM"], "Europe": ["MDA", "MKD", "UKR"], "Oceania": ["FJI", "PNG", "WSM"]}
TOPICS = [
    ("National action plan on small arms and light weapons", "a national action plan"),
    ("Marking, record-keeping and tracing of firearms", "a marking and tracing system"),
    ("Training licensing officers in arms transfer controls", "an arms transfer licensing practice"),
    ("Physical security and stockpile management of ammunition", "safer ammunition depots"),
    ("Women's participation in small arms control", "women's participation in arms control bodies"),
    ("Online course on the Arms Trade Treaty for customs officers", "an online course for customs officers"),
    ("Research on illicit firearms flows along border corridors", "evidence on illicit flows at the borders"),
    ("Public awareness campaign on the risks of illicit weapons", "public awareness of illicit weapons"),
    ("Regional database of seized weapons", "a regional database of seized weapons"),
    ("Reporting under the Programme of Action and the ATT", "complete national reports"),
]
# Per call (matched by a word of its title): what its proposals become.
PLANS = {
    "Annual": [ProposalStatus.under_review] * 6 + [ProposalStatus.screened_out, ProposalStatus.withdrawn,
                                                   ProposalStatus.draft],
    "gender": [ProposalStatus.submitted] * 3 + [ProposalStatus.draft],
    "Oceania": [ProposalStatus.submitted, ProposalStatus.draft],
    "Rapid-response": [ProposalStatus.submitted, ProposalStatus.draft],
}


def _plan(call: Call):
    return next((plan for word, plan in PLANS.items() if word in call.title), None)


def _content(rng: random.Random, call: Call, organisation, number: int) -> dict:
    title, aim = TOPICS[number % len(TOPICS)]
    regions = call.eligible_regions or [region_of(organisation.country) or "Africa"]
    countries = sorted(rng.sample(COUNTRIES[rng.choice(regions)], 2))
    start = date(call.year + 1, 1, 1)
    return {
        "title": title, "summary": f"The project builds {aim}, with the national authorities and civil society.",
        "objectives": f"By the end of the project, the beneficiary States have {aim} that meets their "
                      "commitments under the instruments it serves.",
        "activity_types": rng.sample(["capacity_building", "implementation_tools", "research", "online_learning"], 2),
        "themes": rng.sample(call.themes, min(2, len(call.themes))), "instruments": call.instruments[:2],
        "countries": countries, "start_date": start, "duration_months": rng.choice([12, 18, 24]),
        "gender_marker": rng.choice([0, 1, 1, 2]), "language": "en",
        "risks": "Changes of government may slow adoption; the steering committee meets each quarter.",
        "sustainability": "Curricula and procedures are handed to the national training institutions.",
        "cofunding_usd": Decimal(rng.choice([0, 5000, 15000])),
        "results": [{"outcome": f"The authorities apply {aim}", "outputs": [
            {"output": "Officials trained", "indicators": [
                {"indicator": "Officials certified", "baseline": "0", "target": str(rng.choice([20, 30, 45]))}]},
            {"output": "Procedures adopted", "indicators": [
                {"indicator": "Procedures in force", "baseline": "0", "target": "1"}]}]}],
    }


def _budget(rng: random.Random, call: Call, duration: int) -> list[dict]:
    """Lines between the call's limits, indirect costs just under its cap."""
    year = call.year + 1
    staff_months = rng.choice([8, 10, 12])
    lines = [
        ("staff", "Project coordinator", "month", staff_months, rng.choice([3200, 4100, 4800])),
        ("travel", "Trainers' missions", "trip", rng.choice([4, 6, 8]), Decimal("1850.50")),
        ("contractual", "Legal and technical experts", "lump sum", 1, rng.choice([12000, 18000, 24000])),
        ("general_operating", "Workshop venues and interpretation", "workshop", rng.choice([3, 4]), 4250),
        ("supplies", "Training materials", "set", 60, Decimal("42.75")),
    ]
    rows = [{"category": c, "description": d, "unit": u, "quantity": Decimal(q), "unit_cost_usd": Decimal(cost),
             "year": year if i % 2 == 0 or duration <= 12 else year + 1} for i, (c, d, u, q, cost) in enumerate(lines)]
    direct = sum(line_amount(r["quantity"], r["unit_cost_usd"]) for r in rows)
    rate = min(call.indirect_cap_pct, Decimal(7)) / 100
    rows.append({"category": "indirect", "description": "Programme support costs", "unit": "lump sum",
                 "quantity": Decimal(1), "unit_cost_usd": (direct * rate).quantize(Decimal("0.01")) - 1,
                 "year": year})
    return rows


class DemoProposals:
    """Called after each transition of each demo call, with the clock at that moment."""

    def __init__(self, applicants, secretariat, seed: int = 2016):
        self.applicants = applicants  # users of eligible organisations, each in its own
        self.secretariat = secretariat
        self.rng = random.Random(seed)
        self.made: dict[int, list] = {}

    def __call__(self, call: Call, status: CallStatus) -> None:
        plan = _plan(call)
        if plan is None or call.year != utcnow().year:
            return
        if status == CallStatus.open:
            self._draft_and_submit(call, plan)
        elif status == CallStatus.closed:
            self._screen(call)

    def _draft_and_submit(self, call: Call, plan) -> None:
        eligible = [u for u in self.applicants if u.organisation.type.value in call.eligible_applicant_types]
        made = []
        for number, outcome in enumerate(plan):
            owner = eligible[number % len(eligible)]
            content = _content(self.rng, call, owner.organisation, number)
            proposal = services.create_proposal(owner, call, content)
            services.replace_budget(owner, proposal, _budget(self.rng, call, content["duration_months"]))
            if outcome != ProposalStatus.draft:
                services.submit_proposal(owner, proposal)
            if outcome == ProposalStatus.withdrawn:
                services.withdraw_proposal(owner, proposal, "Our partner ministry asked us to wait a year.")
            made.append((proposal, outcome))
        self.made[call.id] = made

    def _screen(self, call: Call) -> None:
        for proposal, outcome in self.made.get(call.id, []):
            if outcome == ProposalStatus.under_review:
                screening.screen_proposal(self.secretariat, proposal, "eligible", "Meets every rule of the call.")
            elif outcome == ProposalStatus.screened_out:
                screening.screen_proposal(self.secretariat, proposal, "ineligible",
                                         "The applicant's registration documents do not match its name.")

