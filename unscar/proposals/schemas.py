"""JSON shapes of the proposals API. Maximum lengths here are the documented ones."""

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate

from ..languages import is_language
from ..regions import is_country, regions_of
from ..schemas import DecimalNumber, IdField, MoneyField, PageArgsSchema
from ..vocabulary import ACTIVITY_TYPE_LABELS, BUDGET_CATEGORY_LABELS, INSTRUMENT_LABELS, THEME_LABELS
from .models import LONG_TEXT_MAX, SHORT_TEXT_MAX, SUMMARY_MAX, TITLE_MAX, ProposalStatus

MAX_OUTCOMES, MAX_OUTPUTS, MAX_INDICATORS, MAX_BUDGET_LINES = 20, 20, 20, 500


def _country(code: str) -> None:
    if not is_country(code):
        raise ValidationError(_("Not an ISO 3166-1 alpha-3 country code."))


def _language(code: str) -> None:
    if not is_language(code):
        raise ValidationError(_("Not an ISO 639-1 language code (en, fr, es, ar, zh, ru, ...)."))


def _text(max_length: int, **kwargs):
    return fields.String(validate=validate.Length(max=max_length), **kwargs)


def _keys(labels: dict):
    return fields.List(fields.String(validate=validate.OneOf(list(labels))), validate=validate.Length(max=len(labels)))


class IndicatorSchema(Schema):
    indicator = _text(SHORT_TEXT_MAX, required=True)
    baseline = _text(SHORT_TEXT_MAX, load_default="")
    target = _text(SHORT_TEXT_MAX, load_default="")


class OutputSchema(Schema):
    output = _text(SHORT_TEXT_MAX, required=True)
    indicators = fields.List(fields.Nested(IndicatorSchema), load_default=list,
                             validate=validate.Length(max=MAX_INDICATORS))


class OutcomeSchema(Schema):
    outcome = _text(SHORT_TEXT_MAX, required=True)
    outputs = fields.List(fields.Nested(OutputSchema), load_default=list, validate=validate.Length(max=MAX_OUTPUTS))


class ProposalInSchema(Schema):
    """POST /calls/{id}/proposals and PATCH /proposals/{id}: a draft may be incomplete."""

    title = _text(TITLE_MAX)
    summary = _text(SUMMARY_MAX)
    objectives = _text(LONG_TEXT_MAX)
    activity_types = _keys(ACTIVITY_TYPE_LABELS)
    themes = _keys(THEME_LABELS)
    instruments = _keys(INSTRUMENT_LABELS)
    countries = fields.List(fields.String(validate=_country), validate=validate.Length(max=250))
    start_date = fields.Date(allow_none=True)
    duration_months = fields.Integer(strict=True, allow_none=True, validate=validate.Range(min=1, max=120))
    gender_marker = fields.Integer(strict=True, allow_none=True, validate=validate.OneOf([0, 1, 2]))
    risks = _text(LONG_TEXT_MAX)
    sustainability = _text(LONG_TEXT_MAX)
    cofunding_usd = MoneyField(allow_none=True)
    language = fields.String(allow_none=True, validate=_language)
    results = fields.List(fields.Nested(OutcomeSchema), validate=validate.Length(max=MAX_OUTCOMES))


class BudgetLineInSchema(Schema):
    category = fields.String(required=True, validate=validate.OneOf(list(BUDGET_CATEGORY_LABELS)))
    description = fields.String(required=True, validate=validate.Length(min=1, max=SHORT_TEXT_MAX))
    unit = fields.String(required=True, validate=validate.Length(min=1, max=50))
    quantity = DecimalNumber(places=2, required=True,
                             validate=validate.Range(min=0, min_inclusive=False, max=10_000_000))
    unit_cost_usd = MoneyField(required=True)
    year = fields.Integer(strict=True, required=True, validate=validate.Range(min=2000, max=2100))


class BudgetInSchema(Schema):
    lines = fields.List(fields.Nested(BudgetLineInSchema), required=True,
                        validate=validate.Length(max=MAX_BUDGET_LINES))


class BudgetLineSchema(Schema):
    id = fields.Integer()
    category = fields.Function(lambda line: line.category.value)
    description = fields.String()
    unit = fields.String()
    quantity = DecimalNumber(places=2)
    unit_cost_usd = MoneyField()
    amount_usd = MoneyField()
    year = fields.Integer()


class BudgetSchema(Schema):
    lines = fields.List(fields.Nested(BudgetLineSchema))
    direct_usd = MoneyField()
    indirect_usd = MoneyField()
    total_usd = MoneyField()


class HistorySchema(Schema):
    from_status = fields.String(allow_none=True)
    status = fields.String()
    at = fields.AwareDateTime()
    by = fields.String()
    reason = fields.String(allow_none=True)


class AttachmentSchema(Schema):
    id = fields.Integer()
    filename = fields.String()
    size = fields.Integer()
    media_type = fields.String()
    sha256 = fields.String()


class ProposalSchema(Schema):
    id = fields.Integer()
    reference = fields.String()
    call_id = fields.Integer()
    organisation_id = fields.Integer()
    status = fields.Function(lambda p: p.status.value)
    title = fields.String()
    summary = fields.String()
    objectives = fields.String()
    results = fields.List(fields.Dict())
    activity_types = fields.List(fields.String())
    themes = fields.List(fields.String())
    instruments = fields.List(fields.String())
    countries = fields.List(fields.String())
    regions = fields.Function(lambda p: regions_of(p.countries))
    start_date = fields.Date(allow_none=True)
    duration_months = fields.Integer(allow_none=True)
    gender_marker = fields.Integer(allow_none=True)
    risks = fields.String()
    sustainability = fields.String()
    cofunding_usd = MoneyField(allow_none=True)
    language = fields.String(allow_none=True)
    requested_usd = MoneyField()
    submitted_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class ProposalDetailSchema(ProposalSchema):
    budget = fields.Nested(BudgetSchema)
    attachments = fields.List(fields.Nested(AttachmentSchema))
    history = fields.List(fields.Nested(HistorySchema))


class ProposalListArgsSchema(PageArgsSchema):
    call_id = IdField()
    status = fields.String(validate=validate.OneOf([s.value for s in ProposalStatus]))


class ProblemItemSchema(Schema):
    code = fields.String()
    message = fields.String()


class ChecksSchema(Schema):
    eligible = fields.Boolean()
    problems = fields.List(fields.Nested(ProblemItemSchema))
    warnings = fields.List(fields.Nested(ProblemItemSchema),
                           metadata={"description": "Never block submission (e.g. organisation_named on a blind call)."})


class SubmittedSchema(Schema):
    status = fields.Function(lambda p: p.status.value)
    submitted_at = fields.AwareDateTime(allow_none=True)


class StatusSchema(Schema):
    status = fields.Function(lambda p: p.status.value)


class ReasonSchema(Schema):
    reason = _text(LONG_TEXT_MAX, load_default=None, allow_none=True)


class ScreeningInSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(["eligible", "ineligible"]))
    # Required when ineligible, optional when eligible (API.md): the service says which.
    reason = _text(LONG_TEXT_MAX, load_default=None, allow_none=True)


class QuestionInSchema(Schema):
    question = fields.String(required=True, validate=validate.Length(min=1, max=LONG_TEXT_MAX))


class AnswerInSchema(Schema):
    answer = fields.String(required=True, validate=validate.Length(min=1, max=LONG_TEXT_MAX))


class ClarificationSchema(Schema):
    id = fields.Integer()
    proposal_id = fields.Integer()
    question = fields.String()
    asked_at = fields.AwareDateTime()
    answer = fields.String(allow_none=True)
    answered_at = fields.AwareDateTime(allow_none=True)
    files = fields.List(fields.Nested(AttachmentSchema))

