"""Everything the grant page and GET /grants/{id} show of one grant's money and life, put
together once: the ledger's figures, budget vs actual, the tranches' state, what is due now,
the reports' displayed statuses and the closure's refusal, if any."""
from datetime import date

from ..funds.services import grant_figures, grants_figures
from .budget import budget_vs_actual
from .closure import closure_refusal, refundable_usd
from .models import Grant
from .status import display_status
from .tranches import due_now_usd, tranche_states


def money_figures(grant: Grant, figures: dict) -> dict:
    """approved, disbursed, spent and balance (disbursed − spent: the cash the grantee holds
    unspent, what closure may refund) and undisbursed (approved − disbursed)."""
    return {"approved_usd": grant.approved_usd, "disbursed_usd": figures["disbursed_usd"],
            "spent_usd": figures["spent_usd"], "refunded_usd": figures["refunded_usd"],
            "balance_usd": figures["disbursed_usd"] - figures["spent_usd"],
            "undisbursed_usd": grant.approved_usd - figures["disbursed_usd"]}


def page_figures(grants: list[Grant]) -> dict[int, dict]:
    """money_figures of each grant of a page, from one aggregate query over the ledger."""
    figures = grants_figures(g.id for g in grants)
    return {g.id: money_figures(g, figures[g.id]) for g in grants}


def grant_overview(grant: Grant, today: date) -> dict:
    figures = grant_figures(grant.id)
    rows = budget_vs_actual(grant)
    return {
        "grant": grant,
        "status": display_status(grant, today),
        **money_figures(grant, figures),
        "refundable_usd": refundable_usd(figures),
        "due_usd": due_now_usd(grant, today),
        "budget": [row for row in rows if row.category is not None],
        "budget_total": rows[-1],
        "tranches": tranche_states(grant, today),
        "reports": [(report, report.display_status(today)) for report in grant.reports],
        "closure_refusal": closure_refusal(grant),
    }
