"""The portfolio's query parameters and answers (API.md "Portfolio")."""
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..money import format_money
from ..regions import REGIONS, regions_of
from ..schemas import IdField, MoneyField, PageArgsSchema, page_schema
from ..vocabulary import ACTIVITY_TYPE_LABELS, INSTRUMENT_LABELS, THEME_LABELS, OrganisationType

YEARS = validate.Range(min=1900, max=2200)
FILTERS = ("year_from", "year_to", "theme", "region", "instrument", "activity_type", "applicant_type",
           "gender_marker", "donor_id", "call_id")


class PortfolioArgsSchema(Schema):
    """The filters; every value from the vocabularies of API.md, anything else 422."""

    year_from = fields.Integer(load_default=None, validate=YEARS)
    year_to = fields.Integer(load_default=None, validate=YEARS)
    theme = fields.String(load_default=None, validate=validate.OneOf(list(THEME_LABELS)))
    region = fields.String(load_default=None, validate=validate.OneOf(list(REGIONS)))
    instrument = fields.String(load_default=None, validate=validate.OneOf(list(INSTRUMENT_LABELS)))
    activity_type = fields.String(load_default=None, validate=validate.OneOf(list(ACTIVITY_TYPE_LABELS)))
    applicant_type = fields.String(load_default=None, validate=validate.OneOf([t.value for t in OrganisationType]))
    gender_marker = fields.Integer(load_default=None, validate=validate.OneOf([0, 1, 2]))
    donor_id = IdField(load_default=None)
    call_id = IdField(load_default=None)

    @validates_schema
    def _years_in_order(self, data, **_kwargs):
        if data.get("year_from") and data.get("year_to") and data["year_from"] > data["year_to"]:
            raise ValidationError(_("year_to may not come before year_from."), "year_to")


class ProjectArgsSchema(PortfolioArgsSchema, PageArgsSchema):
    pass


def _value(key):
    return getattr(key, "value", key)


class BreakdownSchema(Schema):
    key = fields.Raw(required=True, metadata={"description": "A vocabulary key, a year, or a gender marker "
                                                             "(null: not recorded)"})
    projects = fields.Integer(required=True)
    approved_usd = MoneyField(required=True)


class YearSchema(BreakdownSchema):
    """A year of the time series: the breakdown's figures and the money received and spent
    (of the grants managed here; imported history has no ledger)."""
    disbursed_usd = MoneyField(required=True)
    spent_usd = MoneyField(required=True)


class InceptionSchema(Schema):
    projects = fields.Integer(required=True)
    approved_usd = MoneyField(required=True)
    disbursed_usd = MoneyField(required=True)
    spent_usd = MoneyField(required=True)


class PortfolioSchema(Schema):
    projects = fields.Integer(required=True)
    approved_usd = MoneyField(required=True)
    disbursed_usd = MoneyField(required=True)
    spent_usd = MoneyField(required=True)
    delivery_rate = fields.Function(lambda f: None if f["delivery_rate"] is None else str(f["delivery_rate"]),
                                    metadata={"type": "string", "nullable": True, "description":
                                              "Spent over approved, of the grants managed here (imported "
                                              "history has no ledger); null when there are none"})
    by_year = fields.List(fields.Nested(YearSchema), required=True)
    by_theme = fields.List(fields.Nested(BreakdownSchema), required=True)
    by_region = fields.List(fields.Nested(BreakdownSchema), required=True)
    by_instrument = fields.List(fields.Nested(BreakdownSchema), required=True)
    by_activity_type = fields.List(fields.Nested(BreakdownSchema), required=True)
    by_applicant_type = fields.List(fields.Nested(BreakdownSchema), required=True)
    by_gender_marker = fields.List(fields.Nested(BreakdownSchema), required=True)
    since_inception = fields.Nested(InceptionSchema, required=True)
    summary_text = fields.String(required=True)


class ProjectOrganisationSchema(Schema):
    name = fields.String()
    type = fields.String()
    country = fields.String()


class ProjectSchema(Schema):
    """The public record of a funded project: nothing of its review, its budget lines or
    its people; money as totals only."""

    reference = fields.String(required=True)
    title = fields.String(required=True)
    summary = fields.String(required=True)
    organisation = fields.Function(lambda row: {"name": row.organisation, "type": _value(row.organisation_type),
                                                "country": row.organisation_country},
                                   metadata={"type": "object"})
    year = fields.Integer(required=True)
    call_id = fields.Integer(allow_none=True)
    countries = fields.List(fields.String())
    regions = fields.Function(lambda row: regions_of(row.countries or []),
                              metadata={"type": "array", "items": {"type": "string"}})
    themes = fields.List(fields.String())
    activity_types = fields.List(fields.String())
    instruments = fields.List(fields.String())
    gender_marker = fields.Integer(allow_none=True)
    approved_usd = MoneyField(required=True)
    disbursed_usd = fields.Function(lambda row: _history_or(row, row.disbursed_usd),
                                    metadata={"type": "string", "nullable": True})
    spent_usd = fields.Function(lambda row: _history_or(row, row.spent_usd),
                                metadata={"type": "string", "nullable": True})
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    status = fields.String(required=True)
    source = fields.String(required=True, metadata={"description": "grant: managed here; history: imported "
                                                                    "(no ledger: disbursed and spent are null)"})


def _history_or(row, amount):
    """Imported history has no ledger entries: its money is unknown here, not zero."""
    if row.source != "grant":
        return None
    return format_money(amount) if amount is not None else "0.00"


ProjectPageSchema = page_schema(ProjectSchema)


class ImportResultSchema(Schema):
    imported = fields.Integer(required=True)
    skipped = fields.Integer(required=True)
    errors = fields.List(fields.Dict(), required=True)
