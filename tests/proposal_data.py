"""A complete, eligible proposal for the factories' default call (Africa and Asia, NGOs)."""
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
