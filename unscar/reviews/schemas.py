"""JSON shapes of the review API."""

from flask_babel import gettext as _, lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate

from ..languages import is_language
from ..regions import REGIONS
from ..schemas import IdField, PageArgsSchema
from ..vocabulary import THEME_LABELS
from .models import COMMENT_MAX, REASON_MAX, AssignmentStatus, LinkKind, Recommendation


def _language(code: str) -> None:
    if not is_language(code):
        raise ValidationError(_("Not an ISO 639-1 language code."))


class LinkInSchema(Schema):
    organisation_id = IdField(strict=True, required=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in LinkKind]))


class ProfileInSchema(Schema):
    themes = fields.List(fields.String(validate=validate.OneOf(list(THEME_LABELS))), load_default=list,
                         validate=validate.Length(max=len(THEME_LABELS)))
    regions = fields.List(fields.String(validate=validate.OneOf(REGIONS)), load_default=list,
                          validate=validate.Length(max=len(REGIONS)))
    languages = fields.List(fields.String(validate=_language), load_default=list, validate=validate.Length(max=30))
    links = fields.List(fields.Nested(LinkInSchema), load_default=list, validate=validate.Length(max=100))


class LinkSchema(Schema):
    organisation_id = fields.Integer()
    kind = fields.Function(lambda link: link.kind.value)


class ProfileSchema(Schema):
    user_id = fields.Integer()
    themes = fields.List(fields.String())
    regions = fields.List(fields.String())
    languages = fields.Function(lambda p: p.languages or ["en"])
    links = fields.List(fields.Nested(LinkSchema))


class PanelInSchema(Schema):
    reviewer_ids = fields.List(IdField(strict=True), required=True, validate=validate.Length(max=1000))


class PanelSchema(Schema):
    call_id = fields.Integer()
    reviewer_ids = fields.List(fields.Integer())


class DeclarationInSchema(Schema):
    accept = fields.Boolean(required=True,
                            validate=validate.Equal(True, error=_l("Accept the declaration to sign it.")))


class DeclarationSchema(Schema):
    id = fields.Integer()
    call_id = fields.Integer()
    signed_at = fields.AwareDateTime()


class AssignmentInSchema(Schema):
    reviewer_id = IdField(strict=True, required=True)
    proposal_id = IdField(strict=True, required=True)


class AutoAssignInSchema(Schema):
    reviewer_ids = fields.List(IdField(strict=True), load_default=None, validate=validate.Length(max=1000))
    reviewers_per_proposal = fields.Integer(strict=True, load_default=None, validate=validate.Range(min=1, max=20))


class AssignmentSchema(Schema):
    id = fields.Integer()
    proposal_id = fields.Integer()
    call_id = fields.Integer()
    reviewer_id = fields.Integer()
    status = fields.Function(lambda a: a.status.value)


class ShortSchema(Schema):
    proposal_id = fields.Integer()
    missing = fields.Integer()


class AutoAssignedSchema(Schema):
    created = fields.Integer()
    assignments = fields.List(fields.Nested(AssignmentSchema))
    short = fields.List(fields.Nested(ShortSchema))


class AssignmentListArgsSchema(PageArgsSchema):
    status = fields.String(validate=validate.OneOf([s.value for s in AssignmentStatus]))
    call_id = IdField()


class ReasonInSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=REASON_MAX))


class ReviewInSchema(Schema):
    scores = fields.Dict(keys=fields.String(validate=validate.Regexp(r"^\d+$", error=_l("A criterion id."))),
                         values=fields.Raw(allow_none=True), load_default=dict,
                         metadata={"description": "A whole number from 1 to the call's scale_max per criterion "
                                                  "id; null clears a draft's score, a missing id keeps it."})
    comments = fields.Dict(keys=fields.String(validate=validate.Regexp(r"^\d+$", error=_l("A criterion id."))),
                           values=fields.String(validate=validate.Length(max=COMMENT_MAX)), load_default=dict)
    comment = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=COMMENT_MAX))
    recommendation = fields.String(load_default=None, allow_none=True,
                                   validate=validate.OneOf([r.value for r in Recommendation]))
    submit = fields.Boolean(load_default=False)


class ScoreSchema(Schema):
    criterion_id = fields.Integer()
    score = fields.Integer(allow_none=True)
    comment = fields.String()


class ReviewSchema(Schema):
    id = fields.Integer()
    assignment_id = fields.Integer()
    scores = fields.Function(lambda r: {str(s.criterion_id): s.score for s in r.scores if s.score is not None})
    comments = fields.Function(lambda r: {str(s.criterion_id): s.comment for s in r.scores if s.comment})
    comment = fields.String()
    recommendation = fields.Function(lambda r: r.recommendation.value if r.recommendation else None)
    submitted = fields.Function(lambda r: r.submitted_at is not None)
    submitted_at = fields.AwareDateTime(allow_none=True)
