"""JSON shapes of the fund's API (API.md "The fund"). The schemas read types and formats;
the services (validation.py) hold the rules: positive amounts, real currencies, earmarks."""
from marshmallow import Schema, fields, validate

from ..schemas import DecimalNumber, IdField, MoneyField, PageArgsSchema, page_schema
from .ledger import FIGURES
from .models import EARMARK_MAX, NAME_MAX, ContributionStatus
from .validation import RATE_PLACES

STATUSES = [s.value for s in ContributionStatus]
IN_CURRENCY = {"description": "In the contribution's currency, at most two decimals."}
RATE = {"description": f"USD per unit of the currency, greater than zero, at most {RATE_PLACES} decimals."}
EARMARK = {"description": "\"theme:<theme key>\" or \"region:<Africa|Americas|Asia|Europe|Oceania>\"."}


class DonorInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=NAME_MAX))
    country = fields.String(required=True, validate=validate.Length(equal=3),
                            metadata={"description": "ISO 3166-1 alpha-3"})


class DonorSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    country = fields.String()
    created_at = fields.AwareDateTime()


class ContributionInSchema(Schema):
    donor_id = IdField(strict=True, required=True)
    amount = MoneyField(required=True, metadata=IN_CURRENCY)
    currency = fields.String(required=True, validate=validate.Length(equal=3), metadata={"description": "ISO 4217"})
    usd_rate = DecimalNumber(places=RATE_PLACES, required=True, metadata=RATE)
    status = fields.String(required=True, validate=validate.OneOf(STATUSES))
    date = fields.Date(required=True, metadata={"description": "Pledged on, or received on."})
    earmark = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=EARMARK_MAX),
                            metadata=EARMARK)


class ReceiveInSchema(Schema):
    date = fields.Date(required=True)
    usd_rate = DecimalNumber(places=RATE_PLACES, required=True, metadata=RATE)
    amount = MoneyField(load_default=None, allow_none=True,
                        metadata={"description": "What arrived, in the currency, when it differs from the pledge."})


class ContributionSchema(Schema):
    id = fields.Integer()
    donor_id = fields.Integer()
    amount = MoneyField(metadata=IN_CURRENCY)
    currency = fields.String()
    usd_rate = fields.Function(lambda c: str(c.usd_rate), metadata={"type": "string", **RATE})
    usd_amount = MoneyField(metadata={"description": "USD at usd_rate, rounded half-up to the cent."})
    status = fields.Function(lambda c: c.status.value, metadata={"type": "string", "enum": STATUSES})
    pledged_on = fields.Date(allow_none=True)
    received_on = fields.Date(allow_none=True)
    earmark = fields.String(allow_none=True, metadata=EARMARK)
    created_at = fields.AwareDateTime()


class ContributionListArgsSchema(PageArgsSchema):
    donor_id = IdField()


class DonorGrantSchema(Schema):
    grant_id = fields.Integer()
    reference = fields.String(allow_none=True, metadata={"description": "The grant's agreement number."})
    attributed_usd = MoneyField(metadata={"description": "The donor's money committed to the grant, net of "
                                          "what was released or refunded back to it."})


class DonorDetailSchema(DonorSchema):
    pledged_usd = MoneyField()
    received_usd = MoneyField()
    contributions = fields.List(fields.Nested(ContributionSchema))
    grants = fields.List(fields.Nested(DonorGrantSchema))


FundSchema = type("FundSchema", (Schema,), {name: MoneyField() for name in FIGURES})
DonorPageSchema = page_schema(DonorSchema)
ContributionPageSchema = page_schema(ContributionSchema)
