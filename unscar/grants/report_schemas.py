"""JSON shapes of reports and revisions (API.md "Grants"). The schemas read types and
formats; the services (report_checks.py) hold the rules: periods inside the grant,
categories of its budget, indicators of its results framework, totals that never grow."""
from decimal import Decimal

from marshmallow import Schema, fields, validate

from ..dates import utcnow
from ..money import format_money

from ..schemas import IdField, MoneyField, PageArgsSchema, page_schema
from ..vocabulary import BUDGET_CATEGORY_LABELS
from .models import ReportKind, RevisionStatus
from .report_checks import MAX_ROWS, TEXT_MAX, VALUE_MAX
from .report_queries import REPORT_FILTERS

CATEGORIES = list(BUDGET_CATEGORY_LABELS)
CATEGORY = {"description": f"A budget category: {', '.join(CATEGORIES)}."}


class ExpenditureLineSchema(Schema):
    category = fields.String(required=True, metadata=CATEGORY)
    amount_usd = MoneyField(required=True)


class FinancialReportInSchema(Schema):
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    lines = fields.List(fields.Nested(ExpenditureLineSchema), required=True, validate=validate.Length(max=MAX_ROWS))


class IndicatorValueSchema(Schema):
    indicator = fields.String(required=True, validate=validate.Length(max=TEXT_MAX),
                              metadata={"description": "The text of an indicator of the proposal's results "
                                                       "framework."})
    value = fields.String(required=True, validate=validate.Length(max=VALUE_MAX))


class NarrativeReportInSchema(Schema):
    period_start = fields.Date(required=True)
    period_end = fields.Date(required=True)
    text = fields.String(required=True, validate=validate.Length(max=TEXT_MAX))
    indicators = fields.List(fields.Nested(IndicatorValueSchema), load_default=list,
                             validate=validate.Length(max=MAX_ROWS))


class ReportReviewInSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(["accepted", "returned"]))
    comment = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=TEXT_MAX),
                            metadata={"description": "Shown to the grantee; required when returning."})


class ReportFileSchema(Schema):
    id = fields.Integer()
    filename = fields.String()
    size = fields.Integer()
    media_type = fields.String()
    sha256 = fields.String()


class ExpenditureSchema(Schema):
    category = fields.Function(lambda line: line.category.value)
    amount_usd = MoneyField()


class IndicatorProgressSchema(Schema):
    indicator = fields.String()
    value = fields.String()


class ReportSchema(Schema):
    id = fields.Integer()
    grant_id = fields.Integer()
    kind = fields.Function(lambda report: report.kind.value)
    stage = fields.Function(lambda report: report.stage.value,
                            metadata={"description": "interim and final are scheduled; other was filed beside "
                                                     "the schedule."})
    period_start = fields.Date()
    period_end = fields.Date()
    due_date = fields.Date(allow_none=True)
    status = fields.Method("shown_status", metadata={"description": "due, overdue (due and past its due date), "
                                                                    "submitted, accepted or returned."})
    comment = fields.String(allow_none=True, metadata={"description": "The secretariat's, for the grantee."})
    submitted_at = fields.AwareDateTime(allow_none=True)
    reviewed_at = fields.AwareDateTime(allow_none=True)
    total_usd = fields.Method("total", allow_none=True, metadata={"type": "string", "description": "Financial reports: the "
                                                                                    "expenditure's sum."})
    lines = fields.List(fields.Nested(ExpenditureSchema))
    text = fields.String(allow_none=True)
    indicators = fields.List(fields.Nested(IndicatorProgressSchema))
    attachments = fields.List(fields.Nested(ReportFileSchema), attribute="files")

    def shown_status(self, report) -> str:
        return report.display_status(utcnow().date())

    def total(self, report) -> str | None:
        if report.kind is not ReportKind.financial:
            return None
        return format_money(sum((line.amount_usd for line in report.lines), Decimal("0")))


class VarianceSchema(Schema):
    category = fields.String()
    budget_usd = MoneyField()
    spent_usd = MoneyField()
    variance_usd = fields.Function(lambda row: format_money(row["variance_usd"]),
                                   metadata={"type": "string", "description": "budget − spent (negative when "
                                                                              "overspent)."})
    variance_pct = fields.Function(lambda row: None if row["variance_pct"] is None else str(row["variance_pct"]),
                                   allow_none=True, metadata={"type": "string"})


class FiledReportSchema(ReportSchema):
    variances = fields.List(fields.Nested(VarianceSchema),
                            metadata={"description": "Categories whose cumulative spending exceeds their current "
                                                     "budget by more than the reallocation threshold; never "
                                                     "blocking."})


class ReportListArgsSchema(PageArgsSchema):
    grant_id = IdField(load_default=None)
    kind = fields.String(load_default=None, validate=validate.OneOf([k.value for k in ReportKind]))
    status = fields.String(load_default=None, validate=validate.OneOf(REPORT_FILTERS))


ReportPageSchema = page_schema(ReportSchema)


class RevisionLineInSchema(Schema):
    category = fields.String(required=True, metadata=CATEGORY)
    budget_usd = MoneyField(required=True)


class RevisionInSchema(Schema):
    lines = fields.List(fields.Nested(RevisionLineInSchema), load_default=list, validate=validate.Length(max=MAX_ROWS),
                        metadata={"description": "New budgets for the named categories; the others keep theirs."})
    end_date = fields.Date(load_default=None, allow_none=True,
                           metadata={"description": "A no-cost extension: after the current end date."})
    reason = fields.String(required=True, validate=validate.Length(max=TEXT_MAX))


class RevisionLineSchema(Schema):
    category = fields.Function(lambda line: line.category.value)
    budget_usd = MoneyField()


class RevisionSchema(Schema):
    id = fields.Integer()
    grant_id = fields.Integer()
    status = fields.Function(lambda revision: revision.status.value)
    reason = fields.String()
    lines = fields.List(fields.Nested(RevisionLineSchema))
    end_date = fields.Date(allow_none=True)
    previous_end_date = fields.Date(allow_none=True)
    comment = fields.String(allow_none=True)
    requested_at = fields.AwareDateTime()
    decided_at = fields.AwareDateTime(allow_none=True)


class RevisionDecisionInSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(["approved", "rejected"]))
    comment = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=TEXT_MAX))


class RevisionListArgsSchema(PageArgsSchema):
    status = fields.String(load_default=None, validate=validate.OneOf([s.value for s in RevisionStatus]))


RevisionPageSchema = page_schema(RevisionSchema)
