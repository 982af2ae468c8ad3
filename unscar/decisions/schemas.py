"""JSON of the decisions: the donors' decision on a proposal and their endorsements."""
from marshmallow import Schema, fields, validate

from ..schemas import MoneyField
from .models import MEETING_REF_MAX, RATIONALE_MAX, DecisionOutcome

COMMENT_MAX = 10_000


class DecisionInSchema(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf([o.value for o in DecisionOutcome]))
    approved_usd = MoneyField(load_default=None, allow_none=True, metadata={
        "description": "Required for an approval: above 0 and at most the amount requested."})
    rationale = fields.String(required=True, validate=validate.Length(min=1, max=RATIONALE_MAX))
    meeting_ref = fields.String(load_default="", validate=validate.Length(max=MEETING_REF_MAX))


class DecisionSchema(Schema):
    """The decision as published: to the applicant too, with the reviewers' overall comments
    (no names, no scores)."""

    outcome = fields.Function(lambda d: d["decision"].outcome.value)
    approved_usd = MoneyField(attribute="decision.approved_usd", allow_none=True)
    rationale = fields.String(attribute="decision.rationale")
    meeting_ref = fields.String(attribute="decision.meeting_ref")
    decided_at = fields.AwareDateTime(attribute="decision.decided_at")
    grant_id = fields.Integer(attribute="decision.grant_id", allow_none=True)
    reviewer_comments = fields.List(fields.String())


class DecisionRecordedSchema(Schema):
    decision = fields.Nested(DecisionSchema)
    grant_id = fields.Integer(allow_none=True)


class EndorsementInSchema(Schema):
    comment = fields.String(load_default="", validate=validate.Length(max=COMMENT_MAX))


class EndorsementSchema(Schema):
    id = fields.Integer()
    user_id = fields.Integer()
    created_at = fields.AwareDateTime()
    comment = fields.String()
