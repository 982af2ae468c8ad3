"""Request bodies and service values that pass every check: a call (call_values for
create_call, call_json for POST /calls) and a complete, eligible proposal with its budget
for the factories' default call (Africa and Asia, NGOs)."""
from datetime import timedelta
from decimal import Decimal

from unscar.dates import utcnow


def proposal_json(**overrides) -> dict:
    year = utcnow().year + 1
    body = {
        "title": "Strengthening national arms transfer controls in Kenya",
        "summary": "Training licensing officers and drafting regulations under the ATT.",
        "objectives": "A licensing system that meets ATT article 7.",
        "activity_types": ["capacity_building"], "themes": ["legislation"], "instruments": ["att"],
        "countries": ["KEN"], "start_date": f"{year}-01-01", "duration_months": 18, "gender_marker": 1,
        "risks": "Elections may delay the parliament's work.", "sustainability": "Curricula stay with the academy.",
        "cofunding_usd": "10000.00", "language": "en",
        "results": [{"outcome": "Licensing officers apply ATT criteria",
                     "outputs": [{"output": "40 officers trained",
                                  "indicators": [{"indicator": "Officers certified", "baseline": "0",
                                                  "target": "40"}]}]}],
    }
    body.update(overrides)
    return body


def budget_json(year: int | None = None) -> dict:
    year = year or utcnow().year + 1
    return {"lines": [
        {"category": "staff", "description": "Project coordinator", "unit": "month", "quantity": 12,
         "unit_cost_usd": "4500.00", "year": year},
        {"category": "travel", "description": "Trainers' travel", "unit": "trip", "quantity": "3.5",
         "unit_cost_usd": "1234.57", "year": year},
        {"category": "contractual", "description": "Legal drafting", "unit": "lump sum", "quantity": 1,
         "unit_cost_usd": 30000, "year": year + 1},
        {"category": "indirect", "description": "Programme support", "unit": "lump sum", "quantity": 1,
         "unit_cost_usd": "5000.00", "year": year + 1},
    ]}


def call_values(**overrides) -> dict:
    """Everything create_call needs, as Python values: a call opening now and closing in 30 days."""
    now = utcnow().replace(microsecond=0)
    values = {
        "title": "Arms Trade Treaty implementation in Africa and Asia", "year": now.year,
        "description": "<p>Support for <em>national control systems</em>.</p>",
        "guidelines": "<p>Read the guidelines.</p>", "opens_at": now, "closes_at": now + timedelta(days=30),
        "review_closes_at": None, "envelope_usd": Decimal("1000000.00"), "min_budget_usd": Decimal("50000.00"),
        "max_budget_usd": Decimal("200000.00"), "min_duration_months": 12, "max_duration_months": 24,
        "indirect_cap_pct": Decimal("7"), "eligible_applicant_types": ["ngo", "research_institute"],
        "eligible_countries": [], "eligible_regions": ["Africa", "Asia"], "themes": ["legislation"],
        "instruments": ["att"], "max_proposals_per_organisation": None, "blind_review": False,
        "reviewers_per_proposal": 3, "scale_max": 5,
        "criteria": [{"name": "Impact", "guidance": "What changes.", "weight": Decimal("60")},
                     {"name": "Value for money", "guidance": "", "weight": Decimal("40")}],
    }
    values.update(overrides)
    return values


def call_json(**overrides) -> dict:
    """The same call as API.md's POST /calls body."""
    now = utcnow().replace(microsecond=0)
    body = {
        "title": "Arms Trade Treaty implementation in Africa and Asia", "year": now.year,
        "description": "<p>Support for <em>national control systems</em>.</p>",
        "guidelines": "<p>Read the guidelines.</p>", "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=30)).isoformat(), "envelope_usd": "1000000.00",
        "min_budget_usd": 50000, "max_budget_usd": "200000.00", "min_duration_months": 12,
        "max_duration_months": 24, "eligible_applicant_types": ["ngo", "research_institute"],
        "eligible_countries": ["KEN", "GHA"], "eligible_regions": ["Asia"], "themes": ["legislation", "reporting"],
        "instruments": ["att", "poa"], "blind_review": True, "reviewers_per_proposal": 2,
        "criteria": [{"name": "Impact", "guidance": "What changes.", "weight": 60},
                     {"name": "Value for money", "guidance": "", "weight": 40.5}],
    }
    body.update(overrides)
    return body
