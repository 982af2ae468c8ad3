"""API: a call's ranking, its funding recommendation, the donors' endorsements and the
decision on each proposal."""
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from ..calls.queries import get_call_or_404
from ..decisions import recording, services
from ..decisions.models import StoredRecommendation
from ..decisions.queries import get_ranked_call_or_404, get_recommendation_or_404, published_decision
from ..decisions.recommendation import OBJECTIVES, explanation_for_reader
from ..decisions.schemas import (DecisionInSchema, DecisionRecordedSchema, EndorsementInSchema,
                                 EndorsementSchema)
from ..errors import NotFound
from ..extensions import db
from ..proposals.queries import get_proposal_or_404
from ..reviews.queries import unfinished_assignments
from ..schemas import DecimalNumber, MoneyField
from .auth import current_api_user, roles_required
from .blueprint import bp
from .io import load
from .openapi import documented


class RankingItemSchema(Schema):
    proposal_id = fields.Integer()
    reference = fields.String()
    title = fields.String()
    requested_usd = MoneyField()
    n_reviews = fields.Integer()
    weighted_mean = DecimalNumber(allow_none=True)
    normalised_score = DecimalNumber(allow_none=True)
    spread = DecimalNumber(allow_none=True)
    flagged = fields.Boolean()
    missing_reviews = fields.Integer()
    rank = fields.Integer(allow_none=True)


class RankingSchema(Schema):
    items = fields.List(fields.Nested(RankingItemSchema))


class RecommendationInSchema(Schema):
    envelope_usd = MoneyField(load_default=None, allow_none=True)
    objective = fields.String(load_default="normalised_score", validate=validate.OneOf(OBJECTIVES))
    min_score = DecimalNumber(places=2, load_default=None, allow_none=True, validate=validate.Range(min=0, max=100))
    min_share = fields.Dict(keys=fields.String(validate=validate.Length(max=60)), values=fields.Raw(),
                            load_default=dict, metadata={"example": {"region:Africa": 0.25}})


class LeftOutSchema(Schema):
    proposal_id = fields.Integer()
    reason = fields.String()


class ExplanationSchema(Schema):
    text = fields.String()
    binding = fields.List(fields.String())
    left_out = fields.List(fields.Nested(LeftOutSchema))


class RecommendationSchema(Schema):
    id = fields.Integer()
    call_id = fields.Integer()
    selected = fields.List(fields.Integer())
    objective = fields.String()
    total_usd = fields.String()
    total_score = fields.String()
    cap_usd = fields.String()
    shares = fields.Dict(keys=fields.String(), values=fields.String())
    explanation = fields.Nested(ExplanationSchema)
    parameters = fields.Dict()
    created_at = fields.AwareDateTime()
    adopted = fields.Boolean()
    adopted_at = fields.AwareDateTime(allow_none=True)
    missing_reviews = fields.Integer(metadata={
        "description": "Active assignments of the call without a submitted review; adoption waits for them "
                       "(or for the secretariat to remove them)"})
    adoption_refusal = fields.String(allow_none=True, metadata={
        "description": "Why adopting it now would be refused (409), or null when it would be accepted"})


def _dump(stored: StoredRecommendation) -> dict:
    return RecommendationSchema().dump({**stored.result, "id": stored.id, "call_id": stored.call_id,
                                        "explanation": explanation_for_reader(stored.result["explanation"]),
                                        "parameters": stored.parameters, "created_at": stored.created_at,
                                        "adopted": stored.adopted_at is not None, "adopted_at": stored.adopted_at,
                                        "missing_reviews": unfinished_assignments(stored.call_id),
                                        "adoption_refusal": services.adoption_refusal(stored)})


@bp.get("/calls/<int:call_id>/ranking")
@roles_required("secretariat", "admin", "donor")
@documented("The calibrated ranking, best first (not paginated; no reviewer identities)", response=RankingSchema,
            errors=(404,))
def call_ranking(call_id):
    call = get_ranked_call_or_404(current_api_user(), call_id)
    rows, proposals = services.call_ranking(call)
    items = [{**row.__dict__, "title": proposals[row.proposal_id].title,
              "requested_usd": proposals[row.proposal_id].requested_usd} for row in rows]
    return RankingSchema().dump({"items": items})


@bp.post("/calls/<int:call_id>/recommendation")
@roles_required("secretariat")
@documented("Compute the exact funding recommendation and store it as a draft", body=RecommendationInSchema,
            response=RecommendationSchema, errors=(404,))
def make_recommendation(call_id):
    call = get_call_or_404(current_api_user(), call_id)
    data = load(RecommendationInSchema())
    stored = services.make_recommendation(current_api_user(), call, data["envelope_usd"], data["objective"],
                                         data["min_score"], data["min_share"])
    db.session.commit()
    return _dump(stored)


@bp.get("/calls/<int:call_id>/recommendation")
@roles_required("secretariat", "admin", "donor")
@documented("The latest recommendation, adopted or not", response=RecommendationSchema, errors=(404,))
def latest_recommendation(call_id):
    call = get_ranked_call_or_404(current_api_user(), call_id)
    stored = services.latest_recommendation(call)
    if stored is None:
        raise NotFound(_("No recommendation has been computed for this call."))
    return _dump(stored)


@bp.post("/calls/<int:call_id>/recommendation/<int:rec_id>/adopt")
@roles_required("secretariat")
@documented("Adopt a recommendation: selected proposals become recommended, the others not recommended; "
            "409 while an active assignment of the call has no submitted review", response=RecommendationSchema,
            errors=(404, 409))
def adopt_recommendation(call_id, rec_id):
    call = get_call_or_404(current_api_user(), call_id)
    stored = get_recommendation_or_404(call, rec_id)
    services.adopt_recommendation(current_api_user(), stored)
    db.session.commit()
    return _dump(stored)


@bp.post("/calls/<int:call_id>/recommendation/<int:rec_id>/endorsements")
@roles_required("donor")
@documented("Endorse an adopted recommendation: a record for the file that no decision requires; a repeat "
            "answers 200 with the first", body=EndorsementInSchema, response=EndorsementSchema, status=201,
            errors=(404, 409))
def endorse_recommendation(call_id, rec_id):
    call = get_ranked_call_or_404(current_api_user(), call_id)
    stored = get_recommendation_or_404(call, rec_id)
    endorsement, new = recording.endorse_recommendation(current_api_user(), stored, load(EndorsementInSchema())["comment"])
    db.session.commit()
    return EndorsementSchema().dump(endorsement), 201 if new else 200


@bp.post("/proposals/<int:proposal_id>/decision")
@roles_required("secretariat")
@documented("Record the donors' decision on a proposal under review, recommended or not recommended; an "
            "approval creates the grant and commits its money (409 when the fund's available balance is too "
            "small or the proposal already has a decision)", body=DecisionInSchema,
            response=DecisionRecordedSchema, status=201, errors=(404, 409))
def record_decision(proposal_id):
    proposal = get_proposal_or_404(current_api_user(), proposal_id)
    data = load(DecisionInSchema())
    decision = recording.record_decision(current_api_user(), proposal, data["outcome"], data["approved_usd"],
                                         data["rationale"], data["meeting_ref"])
    db.session.commit()
    return DecisionRecordedSchema().dump({"decision": published_decision(decision),
                                          "grant_id": decision.grant_id}), 201
