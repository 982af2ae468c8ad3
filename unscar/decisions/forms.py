"""The forms of the decision pages: computing a recommendation, endorsing it, recording a
decision."""
from wtforms import (DecimalField, FieldList, Form, FormField, SelectField, StringField, TextAreaField,
                     ValidationError)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import FlaskForm, MoneyInputField
from ..regions import REGIONS
from ..vocabulary import THEME_LABELS
from .models import MEETING_REF_MAX, RATIONALE_MAX
from .recommendation import OBJECTIVES

OBJECTIVE_LABELS = {"normalised_score": "Normalised (calibrated) score", "weighted_mean": "Weighted mean (raw)"}
SHARE_ROWS = 3


def share_key_choices() -> list[tuple[str, str]]:
    """"region:Africa" and "theme:<key>", as recommendation.parse_shares reads them."""
    return ([("", "No minimum share")] + [(f"region:{r}", f"Region: {r}") for r in REGIONS]
            + [(f"theme:{key}", f"Theme: {label}") for key, label in THEME_LABELS.items()])


class ShareForm(Form):
    key = SelectField("Region or theme", choices=share_key_choices(), default="")
    percent = DecimalField("Minimum share (%)", places=2, validators=[
        Optional(), NumberRange(min=0.01, max=100, message="A share is a percentage above 0 and at most 100.")])


class RecommendationForm(FlaskForm):
    envelope_usd = MoneyInputField("Envelope (USD)")
    objective = SelectField("Objective", choices=[(o, OBJECTIVE_LABELS[o]) for o in OBJECTIVES])
    min_score = DecimalField("Minimum score (optional)", places=2, validators=[
        Optional(), NumberRange(min=0, max=100, message="A minimum score is between 0 and 100.")])
    shares = FieldList(FormField(ShareForm), min_entries=SHARE_ROWS, max_entries=20)

    def min_share(self) -> dict:
        """{"region:Africa": 0.25}, numbers as the API takes them (and stores them as JSON);
        the service checks keys and shares."""
        return {row.key.data: float(row.percent.data / 100) for row in self.shares if row.key.data
                and row.percent.data is not None}

    def validate_shares(self, field) -> None:
        keys = [row.key.data for row in field if row.key.data]
        for row in field:
            if row.key.data and row.percent.data is None and not row.percent.errors:
                row.percent.errors = list(row.percent.errors) + ["Give the share for this region or theme."]
            elif not row.key.data and row.percent.data is not None:
                row.key.errors = list(row.key.errors) + ["Choose a region or theme for this share."]
            elif row.key.data and keys.count(row.key.data) > 1:
                row.key.errors = list(row.key.errors) + ["Give each region or theme once."]
        if any(row.key.errors or row.percent.errors for row in field):
            raise ValidationError("Some minimum shares are not valid.")

    def share_field(self, path: str):
        """The form field of a service error path ("min_share.region:Africa", "min_score")."""
        if path.startswith("min_share."):
            key = path.removeprefix("min_share.")
            return next((row.percent for row in self.shares if row.key.data == key), None)
        return getattr(self, path, None)


class DecisionForm(FlaskForm):
    """The donors' decision on one proposal, as the secretariat records it."""

    outcome = SelectField("Decision", choices=[("approved", "Approve"), ("rejected", "Reject")])
    approved_usd = MoneyInputField("Approved amount (USD)", optional=True)
    meeting_ref = StringField("Meeting reference", validators=[Optional(), Length(max=MEETING_REF_MAX)])
    rationale = TextAreaField("Rationale", validators=[DataRequired("Give the donors' rationale."),
                                                      Length(max=RATIONALE_MAX)])


class EndorseForm(FlaskForm):
    comment = TextAreaField("Comment (optional)", validators=[Optional(), Length(max=10_000)])
