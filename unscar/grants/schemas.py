"""JSON shapes of the grants API (API.md "Grants"): the grant and its life, and the
secretariat's tranche schedule, disbursements, suspension and closure. The schemas read
types and formats; the services hold the rules (sums, what is due, states)."""
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..schemas import DecimalNumber, MoneyField, page_schema
from .disbursements import REASON_MAX
from .models import TrancheCondition
from .suspension import CHOICES
from .tranches import MAX_TRANCHES

SIGNED = r"^-?\d{1,9}(\.\d{1,2})?$"
CONDITIONS = [c.value for c in TrancheCondition]
BALANCE = ("Disbursed − spent: the cash the grantee holds unspent, which closure may refund. What is not yet "
           "paid out is undisbursed_usd (approved − disbursed).")


def _value(attribute: str):
    return fields.Function(lambda obj: getattr(obj, attribute).value, metadata={"type": "string"})


class TrancheInSchema(Schema):
    amount_usd = MoneyField(required=True)
    condition = fields.String(required=True, validate=validate.OneOf(CONDITIONS))
    date = fields.Date(load_default=None, allow_none=True,
                       metadata={"description": "Required for on_date: the tranche is due from this date; "
                                            "ignored for the other conditions."})

    @validates_schema
    def _dated(self, data, **_kwargs):
        if data.get("condition") == TrancheCondition.on_date.value and data.get("date") is None:
            raise ValidationError(_("A tranche due on a date needs its date."), field_name="date")


class TranchesInSchema(Schema):
    tranches = fields.List(fields.Nested(TrancheInSchema), required=True,
                           validate=validate.Length(min=1, max=MAX_TRANCHES),
                           metadata={"description": "In order; they must make the approved amount exactly."})


class DisbursementInSchema(Schema):
    amount_usd = MoneyField(required=True)
    date = fields.Date(required=True, metadata={"description": "The day the money was paid."})
    override_reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=REASON_MAX),
                                    metadata={"description": "Required to pay beyond what is due now."})


class GrantStatusInSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(CHOICES))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=REASON_MAX))


class CloseInSchema(Schema):
    refund_usd = MoneyField(required=True, metadata={"description": "At most disbursed − spent; may be 0.00."})


class DisbursementSchema(Schema):
    id = fields.Integer()
    amount_usd = MoneyField()
    date = fields.Date(attribute="paid_on")
    override_reason = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()


class BudgetRowSchema(Schema):
    category = fields.Function(lambda row: row.category.value, metadata={"type": "string"})
    budget_usd = MoneyField()
    spent_usd = MoneyField()
    variance_usd = MoneyField(metadata={"pattern": SIGNED, "description": "budget − spent; negative when overspent."})
    variance_pct = DecimalNumber(allow_none=True, metadata={"description": "variance / budget × 100."})
    burn_rate_pct = DecimalNumber(allow_none=True)
    flagged = fields.Boolean(metadata={"description": "Spent beyond the budget by more than the threshold."})


class TrancheStateSchema(Schema):
    id = fields.Function(lambda s: s.tranche.id, metadata={"type": "integer"})
    amount_usd = fields.Function(lambda s: str(s.tranche.amount_usd), metadata={"type": "string"})
    condition = fields.Function(lambda s: s.tranche.condition.value,
                                metadata={"type": "string", "enum": CONDITIONS})
    date = fields.Function(lambda s: s.tranche.due_on.isoformat() if s.tranche.due_on else None,
                           metadata={"type": "string", "format": "date", "nullable": True})
    status = fields.String(metadata={"enum": ["paid", "partly_paid", "due", "pending"]})
    paid_usd = MoneyField()


class GrantReportRowSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": ["financial", "narrative"]})
    stage = fields.String(metadata={"enum": ["interim", "final", "other"]})
    period_start = fields.Date()
    period_end = fields.Date()
    due_date = fields.Date(allow_none=True)
    status = fields.String(metadata={"enum": ["due", "overdue", "submitted", "accepted", "returned"]})
    comment = fields.String(allow_none=True)
    submitted_at = fields.AwareDateTime(allow_none=True)


class RevisionLineRowSchema(Schema):
    category = _value("category")
    budget_usd = MoneyField()


class GrantRevisionRowSchema(Schema):
    id = fields.Integer()
    status = _value("status")
    reason = fields.String()
    end_date = fields.Date(allow_none=True)
    lines = fields.List(fields.Nested(RevisionLineRowSchema))
    requested_at = fields.AwareDateTime()
    decided_at = fields.AwareDateTime(allow_none=True)


class GrantSchema(Schema):
    """A grant in a list."""

    id = fields.Integer()
    agreement_number = fields.String()
    proposal_id = fields.Integer()
    reference = fields.String(metadata={"description": "The proposal's reference."})
    title = fields.String()
    organisation = fields.Dict(metadata={"description": "{\"id\", \"name\"}"})
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    status = fields.String(metadata={"enum": ["active", "extended", "closing", "closed", "suspended"],
                                     "description": "closing: open, past its end date."})
    approved_usd = MoneyField()
    disbursed_usd = MoneyField()
    spent_usd = MoneyField()
    balance_usd = MoneyField(metadata={"pattern": SIGNED, "description": BALANCE})
    undisbursed_usd = MoneyField()
    closed_at = fields.AwareDateTime(allow_none=True)


class GrantDetailSchema(GrantSchema):
    refunded_usd = MoneyField()
    due_usd = MoneyField(metadata={"description": "What may be disbursed now without a reason."})
    budget = fields.List(fields.Nested(BudgetRowSchema))
    tranches = fields.List(fields.Nested(TrancheStateSchema))
    disbursements = fields.List(fields.Nested(DisbursementSchema))
    reports = fields.List(fields.Nested(GrantReportRowSchema))
    revisions = fields.List(fields.Nested(GrantRevisionRowSchema))
    closure_refusal = fields.String(allow_none=True, metadata={
        "description": "Why closing now would be refused (409), or null."})


GrantPageSchema = page_schema(GrantSchema)
