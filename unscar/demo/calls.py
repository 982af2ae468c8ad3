"""Demo calls: one decided or archived call a year from 2017, and this year's calls in every
live state, each created and moved through the services. The fund's first years (2013 to
2016) are its imported history (demo/history.csv), not calls of this system, so they are
not counted twice.

Past calls are played at their own dates with freeze_clock(), so the services' rules hold
(a call opens only before its deadline) and the audit log carries the historic dates.
"""
from datetime import datetime, timedelta, timezone
from decimal import Decimal

from ..calls import services
from ..calls.models import Call, CallStatus
from ..dates import freeze_clock, utcnow
from ..vocabulary import THEME_LABELS

FIRST_YEAR = 2017  # the years before are the imported history (demo/history.csv)
# The UN Democracy Fund's ten criteria (DESIGN.md), weights out of 100.
CRITERIA = [
    ("Fit with the fund's objectives",
     "How directly the project serves UNSCAR's priorities and the instruments named.", 15),
    ("UN comparative advantage", "Why a UN-supported project adds what others cannot.", 10),
    ("Impact", "The change the project makes for the beneficiary States, and how it is measured.", 15),
    ("Inclusiveness", "How national authorities, civil society and affected communities take part.", 5),
    ("Gender equality", "How the project considers and advances gender equality (OECD DAC gender marker).", 10),
    ("Prospects for implementation",
     "Whether the plan, the partners and the political context make delivery likely.", 10),
    ("Track record", "The organisation's experience with similar projects and with UN funding.", 10),
    ("Technical soundness", "The quality of the results framework, the activities and the risk analysis.", 10),
    ("Value for money", "Costs in proportion to the results; indirect costs within the cap.", 10),
    ("Sustainability", "What remains after the grant ends and who carries it on.", 5),
]
# year: (title, envelope, max per proposal, themes, instruments, regions)
HISTORY = {
    2017: ("Stockpile management and weapons destruction", 1_600_000, 150_000,
           ["stockpile_management", "weapons_destruction"], ["poa", "iti", "firearms_protocol"], []),
    2018: ("Gender-responsive small arms control", 1_400_000, 150_000,
           ["gender_and_children", "public_awareness"], ["poa", "sdg_16_1"], []),
    2019: ("Preventing diversion: end-use and end-user control", 1_800_000, 200_000,
           ["end_use_control", "border_control"], ["att", "sdg_16_4"], []),
    2020: ("Tracing illicit small arms across borders", 1_300_000, 150_000,
           ["border_control", "south_south_cooperation"], ["iti", "firearms_protocol"], ["Africa", "Asia"]),
    2021: ("National points of contact and reporting", 1_500_000, 150_000,
           ["points_of_contact", "reporting"], ["att", "poa"], []),
    2022: ("Arms regulation for sustainable development", 2_000_000, 200_000,
           ["legislation", "stockpile_management", "public_awareness"], ["att", "poa", "sdg_16_4", "sdg_16_1"], []),
    2023: ("Youth, public awareness and small arms control", 1_600_000, 150_000,
           ["public_awareness", "gender_and_children"], ["poa", "sdg_16_1"], ["Americas", "Oceania"]),
    2024: ("Ammunition management and stockpile safety", 1_900_000, 200_000,
           ["stockpile_management", "weapons_destruction"], ["poa", "firearms_protocol"], []),
    2025: ("South-south cooperation on arms regulation", 1_800_000, 200_000,
           ["south_south_cooperation", "legislation"], ["att", "poa", "iti"], ["Africa", "Asia", "Americas"]),
}
DEFAULT_HISTORY = ("Call for proposals on arms regulation", 1_500_000, 200_000,
                   ["legislation", "stockpile_management"], ["att", "poa"], [])
ELIGIBLE = ["ngo", "research_institute", "regional_organisation", "un_entity"]


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=timezone.utc)


def _values(year, title, envelope, max_budget, themes, instruments, regions, opens_at, closes_at, **extra):
    description = (f"<p>The UN Trust Facility Supporting Cooperation on Arms Regulation invites proposals "
                   f"for its {year} funding round: <strong>{title}</strong>.</p>"
                   "<p>Projects support States in implementing the instruments named below, through "
                   "capacity building, implementation tools, action-oriented research and online learning.</p>")
    guidelines = ("<ul><li>Submit one proposal per project, in English, French or Spanish.</li>"
                  "<li>Use the budget template; indirect support costs may not exceed the cap.</li>"
                  "<li>Projects last one to two years and start the following January.</li></ul>")
    values = {
        "year": year, "title": f"UNSCAR {year}: {title}", "description": description, "guidelines": guidelines,
        "opens_at": opens_at, "closes_at": closes_at, "review_closes_at": closes_at + timedelta(days=75),
        "envelope_usd": Decimal(envelope), "min_budget_usd": Decimal(25_000), "max_budget_usd": Decimal(max_budget),
        "min_duration_months": 12, "max_duration_months": 24, "eligible_applicant_types": ELIGIBLE,
        "eligible_regions": regions, "themes": themes, "instruments": instruments,
        "blind_review": year % 2 == 0, "reviewers_per_proposal": 3,
        "criteria": [{"name": n, "guidance": g, "weight": Decimal(w)} for n, g, w in CRITERIA],
    }
    values.update(extra)
    return values


def _play(actor, values: dict, steps: list[tuple[datetime, CallStatus | None]], on_transition=None) -> Call:
    """Create the call at the first moment, then make each transition at its moment;
    `on_transition(call, status)` runs after each, with the clock still there (the
    proposals demo drafts and submits while a call is open, and screens once closed)."""
    try:
        freeze_clock(steps[0][0])
        call = services.create_call(actor, values)
        for moment, status in steps[1:]:
            freeze_clock(moment)
            services.change_status(actor, call, status)
            if on_transition is not None:
                on_transition(call, status)
    finally:
        freeze_clock(None)
    return call


def _historic_call(actor, year: int, last_year: int, on_transition=None) -> Call:
    title, envelope, max_budget, themes, instruments, regions = HISTORY.get(year, DEFAULT_HISTORY)
    opens, closes = _at(year, 6, 15), _at(year, 7, 31, 23, 59)
    steps = [(opens - timedelta(days=14), None), (opens, CallStatus.open),
             (closes + timedelta(days=1), CallStatus.closed), (closes + timedelta(days=8), CallStatus.in_review),
             (_at(year, 11, 20), CallStatus.decided)]
    if year < last_year:
        steps.append((_at(year + 1, 3, 1), CallStatus.archived))
    return _play(actor, _values(year, title, envelope, max_budget, themes, instruments, regions, opens, closes), steps,
                 on_transition)


def _this_year(actor, now: datetime, on_transition=None) -> list[Call]:
    year = now.year
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    evening = timedelta(hours=23, minutes=59)
    plans = [
        # (title, envelope, max, themes, instruments, regions, opens, closes, final status)
        ("Annual call for proposals", 1_800_000, 200_000, ["legislation", "end_use_control", "reporting"],
         ["att", "poa", "sdg_16_4"], [], day - timedelta(days=120), day - timedelta(days=60) + evening,
         CallStatus.in_review),
        ("Targeted call on gender and small arms control", 600_000, 150_000, ["gender_and_children"],
         ["poa", "sdg_16_1"], [], day - timedelta(days=75), day - timedelta(days=10) + evening, CallStatus.closed),
        ("Targeted call on ammunition management in Oceania", 500_000, 150_000, ["stockpile_management"],
         ["poa", "firearms_protocol"], ["Oceania"], day - timedelta(days=20), day + timedelta(days=40) + evening,
         CallStatus.open),
        ("Rapid-response window", 400_000, 200_000, list(THEME_LABELS), ["att", "poa", "iti", "firearms_protocol"],
         [], _at(year, 1, 1), _at(year, 12, 31, 23, 59), CallStatus.open),
        ("Supplementary call on weapons destruction (in preparation)", 700_000, 150_000,
         ["weapons_destruction", "stockpile_management"], ["poa", "iti"], ["Africa"], day + timedelta(days=30),
         day + timedelta(days=90) + evening, CallStatus.draft),
    ]
    calls = []
    order = [CallStatus.open, CallStatus.closed, CallStatus.in_review]
    for title, envelope, max_budget, themes, instruments, regions, opens, closes, final in plans:
        values = _values(year, title, envelope, max_budget, themes, instruments, regions, opens, closes)
        steps = [(min(opens, now) - timedelta(days=7), None)]
        moments = {CallStatus.open: opens, CallStatus.closed: closes + timedelta(days=1),
                   CallStatus.in_review: closes + timedelta(days=3)}
        for status in order[:order.index(final) + 1] if final in order else []:
            steps.append((moments[status], status))
        calls.append(_play(actor, values, steps, on_transition))
    return calls


def load_demo_calls(secretariat, on_transition=None) -> list[Call]:
    """The calls from FIRST_YEAR to last year, then this year's calls; the caller commits."""
    now = utcnow()
    last_year = now.year - 1
    calls = [_historic_call(secretariat, year, last_year, on_transition) for year in range(FIRST_YEAR, last_year + 1)]
    return calls + _this_year(secretariat, now, on_transition)
