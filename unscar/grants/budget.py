"""Budget vs actual: a grant's current budget per category (the approved lines, then each
approved revision's new budgets in order) against the spending of its counting financial
reports (filed or accepted; a returned one stops counting until it is filed again).

Variance is budget − spent, so an overspent category has a negative variance; burn rate
is spent / budget. A category whose spending exceeds its current budget by more than
REALLOCATION_THRESHOLD is flagged; a flag never blocks anything (DESIGN.md "Financial report").
"""
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..proposals.models import BudgetCategory
from .models import Grant, Report, ReportKind, ReportLine, ReportStatus, RevisionStatus

ZERO = Decimal("0.00")
# The statuses of a financial report whose spending counts in budget vs actual and the ledger.
COUNTING = (ReportStatus.submitted, ReportStatus.accepted)


@dataclass(frozen=True)
class BudgetRow:
    category: BudgetCategory | None  # None: the whole grant
    budget_usd: Decimal
    spent_usd: Decimal
    flagged: bool

    @property
    def variance_usd(self) -> Decimal:
        return self.budget_usd - self.spent_usd

    @property
    def variance_pct(self) -> Decimal | None:
        """The variance as a percentage of the budget, two decimals; None without a budget."""
        if not self.budget_usd:
            return None
        return (self.variance_usd * 100 / self.budget_usd).quantize(Decimal("0.01"))

    @property
    def burn_rate_pct(self) -> Decimal | None:
        if not self.budget_usd:
            return None
        return (self.spent_usd * 100 / self.budget_usd).quantize(Decimal("0.01"))


def threshold() -> Decimal:
    return Decimal(str(current_app.config["REALLOCATION_THRESHOLD"]))


def current_budget(grant: Grant) -> dict[BudgetCategory, Decimal]:
    """{category: budget} in the UN categories' order, revisions included."""
    budget: dict[BudgetCategory, Decimal] = {}
    for line in grant.budget_lines:
        budget[line.category] = budget.get(line.category, ZERO) + line.amount_usd
    for revision in grant.revisions:
        if revision.status is RevisionStatus.approved:
            budget.update({line.category: line.budget_usd for line in revision.lines})
    return {category: budget[category] for category in BudgetCategory if category in budget}


def spent_by_category(grant_id: int, excluding_report_id: int | None = None) -> dict[BudgetCategory, Decimal]:
    """The counting financial reports' spending per category, summed in one query."""
    stmt = (select(ReportLine.category, func.sum(ReportLine.amount_usd))
            .join(Report, Report.id == ReportLine.report_id)
            .where(Report.grant_id == grant_id, Report.kind == ReportKind.financial, Report.status.in_(COUNTING))
            .group_by(ReportLine.category))
    if excluding_report_id is not None:
        stmt = stmt.where(Report.id != excluding_report_id)
    return {category: Decimal(total) for category, total in db.session.execute(stmt)}


def is_flagged(budget: Decimal, spent: Decimal) -> bool:
    return spent > budget * (1 + threshold())


def budget_vs_actual(grant: Grant) -> list[BudgetRow]:
    """A row per category of the budget (and any other a report spent on), then the total."""
    budget = current_budget(grant)
    spent = spent_by_category(grant.id)
    categories = [category for category in BudgetCategory if category in budget or category in spent]
    rows = [BudgetRow(category, budget.get(category, ZERO), spent.get(category, ZERO),
                      is_flagged(budget.get(category, ZERO), spent.get(category, ZERO)))
            for category in categories]
    total_budget = sum((row.budget_usd for row in rows), ZERO)
    total_spent = sum((row.spent_usd for row in rows), ZERO)
    return rows + [BudgetRow(None, total_budget, total_spent, is_flagged(total_budget, total_spent))]
