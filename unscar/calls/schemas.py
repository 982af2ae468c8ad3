"""JSON shapes of the calls API. Maximum lengths here are the documented ones."""
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate

from ..dates import utcnow
from ..languages import is_language
from ..regions import is_country
from ..schemas import DecimalNumber, MoneyField, PageArgsSchema
from .models import CRITERION_NAME_MAX, DESCRIPTION_MAX, GUIDANCE_MAX, GUIDELINES_MAX, TITLE_MAX, CallStatus
from .validation import MAX_CRITERIA, MAX_DURATION_MONTHS, MAX_WEIGHT, VOCABULARIES

STATUSES = [s.value for s in CallStatus]


def _validate_country(code: str) -> None:
    if not is_country(code):
        raise ValidationError(_("Not an ISO 3166-1 alpha-3 country code."))


def _validate_language(code: str) -> None:
    if not is_language(code):
        raise ValidationError(_("Not an ISO 639-1 language code (en, fr, es, ar, zh, ru, ...)."))


def _keys(name: str, required: bool = True):
    keys = VOCABULARIES[name][0]
    item = fields.String(validate=validate.OneOf(keys))
    if required:
        return fields.List(item, required=True, validate=validate.Length(min=1, max=len(keys)))
    return fields.List(item, load_default=list, validate=validate.Length(max=len(keys)))


def _count(**kwargs):
    return fields.Integer(strict=True, **kwargs)


class CriterionInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=CRITERION_NAME_MAX))
    guidance = fields.String(load_default="", validate=validate.Length(max=GUIDANCE_MAX))
    weight = DecimalNumber(required=True, validate=validate.Range(min=0, min_inclusive=False, max=MAX_WEIGHT))


class CallTextSchema(Schema):
    """A call's title, description and guidelines in one more language."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=TITLE_MAX))
    description = fields.String(load_default="", validate=validate.Length(max=DESCRIPTION_MAX))
    guidelines = fields.String(load_default="", validate=validate.Length(max=GUIDELINES_MAX))


class CallInSchema(Schema):
    """POST /calls; PATCH loads it with partial=True."""

    title = fields.String(required=True, validate=validate.Length(min=1, max=TITLE_MAX))
    year = _count(required=True, validate=validate.Range(min=2000, max=2100))
    description = fields.String(required=True, validate=validate.Length(max=DESCRIPTION_MAX),
                                metadata={"description": "HTML; sanitised to a small set of tags."})
    guidelines = fields.String(required=True, validate=validate.Length(max=GUIDELINES_MAX),
                               metadata={"description": "HTML; sanitised to a small set of tags."})
    opens_at = fields.AwareDateTime(required=True)
    closes_at = fields.AwareDateTime(required=True)
    review_closes_at = fields.AwareDateTime(load_default=None, allow_none=True)
    envelope_usd = MoneyField(required=True)
    min_budget_usd = MoneyField(required=True)
    max_budget_usd = MoneyField(required=True)
    min_duration_months = _count(required=True, validate=validate.Range(min=1, max=MAX_DURATION_MONTHS))
    max_duration_months = _count(required=True, validate=validate.Range(min=1, max=MAX_DURATION_MONTHS))
    indirect_cap_pct = DecimalNumber(load_default=7, validate=validate.Range(min=0, max=100))
    eligible_applicant_types = _keys("eligible_applicant_types")
    eligible_countries = fields.List(fields.String(validate=_validate_country), load_default=list,
                                     validate=validate.Length(max=300),
                                     metadata={"description": "ISO 3166-1 alpha-3 codes; empty: all."})
    eligible_regions = _keys("eligible_regions", required=False)
    themes = _keys("themes")
    instruments = _keys("instruments")
    max_proposals_per_organisation = _count(load_default=None, allow_none=True,
                                            validate=validate.Range(min=1, max=1000))
    blind_review = fields.Boolean(load_default=False)
    reviewers_per_proposal = _count(load_default=3, validate=validate.Range(min=1, max=10))
    scale_max = _count(load_default=5, validate=validate.Range(min=2, max=10))
    languages = fields.List(fields.String(validate=_validate_language), load_default=list,
                            validate=validate.Length(max=200),
                            metadata={"description": "ISO 639-1 codes a proposal may be written in; empty: any."})
    criteria = fields.List(fields.Nested(CriterionInSchema), required=True,
                           validate=validate.Length(min=1, max=MAX_CRITERIA))
    translations = fields.Dict(keys=fields.String(validate=_validate_language), values=fields.Nested(CallTextSchema),
                               load_default=dict, validate=validate.Length(max=20), metadata={
                                   "description": "The title, description and guidelines in other languages, by "
                                                  "ISO 639-1 code; the base fields keep the original text."})


class StatusChangeSchema(Schema):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))


class CallListArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf(STATUSES))


class CriterionSchema(Schema):
    id = fields.Integer()
    position = fields.Integer()
    name = fields.String()
    guidance = fields.String()
    weight = DecimalNumber()


class TemplateSchema(Schema):
    id = fields.Integer()
    filename = fields.String()
    media_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    url = fields.Function(lambda t: f"/api/v1/calls/{t.call_id}/templates/{t.id}")


class CallSchema(Schema):
    id = fields.Integer()
    year = fields.Integer()
    title = fields.String()
    status = fields.Function(lambda c: c.status.value, metadata={"enum": STATUSES})
    description = fields.String()
    guidelines = fields.String()
    opens_at = fields.AwareDateTime()
    closes_at = fields.AwareDateTime()
    review_closes_at = fields.AwareDateTime(allow_none=True)
    accepts_submissions = fields.Function(lambda c: c.accepts_submissions(utcnow()),
                                          metadata={"type": "boolean"})
    closed_for_submissions = fields.Function(lambda c: c.closed_for_submissions(utcnow()),
                                             metadata={"type": "boolean"})
    envelope_usd = MoneyField()
    min_budget_usd = MoneyField()
    max_budget_usd = MoneyField()
    min_duration_months = fields.Integer()
    max_duration_months = fields.Integer()
    indirect_cap_pct = DecimalNumber()
    eligible_applicant_types = fields.List(fields.String())
    eligible_countries = fields.List(fields.String())
    eligible_regions = fields.List(fields.String())
    themes = fields.List(fields.String())
    instruments = fields.List(fields.String())
    languages = fields.List(fields.String())
    max_proposals_per_organisation = fields.Integer(allow_none=True)
    blind_review = fields.Boolean()
    reviewers_per_proposal = fields.Integer()
    scale_max = fields.Integer()
    criteria = fields.List(fields.Nested(CriterionSchema))
    translations = fields.Function(
        lambda c: {t.language: {"title": t.title, "description": t.description, "guidelines": t.guidelines}
                   for t in c.translations},
        metadata={"type": "object", "additionalProperties": {
            "type": "object", "properties": {name: {"type": "string"} for name in ("title", "description", "guidelines")}}})
    templates = fields.List(fields.Nested(TemplateSchema))
    created_at = fields.AwareDateTime()
    updated_at = fields.AwareDateTime()


class CallPageSchema(Schema):
    items = fields.List(fields.Nested(CallSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()

