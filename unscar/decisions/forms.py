"""The forms of the decision pages: computing a recommendation, endorsing it, recording a
decision."""
from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import (DecimalField, FieldList, Form, FormField, SelectField, StringField, TextAreaField,
                     ValidationError)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..forms import FlaskForm, MoneyInputField
from ..regions import REGIONS, region_name
from ..vocabulary import N_, THEME_LABELS, Labels
from .models import MEETING_REF_MAX, RATIONALE_MAX
from .recommendation import OBJECTIVES

OBJECTIVE_LABELS = Labels({"normalised_score": N_("Normalised (calibrated) score"),
                           "weighted_mean": N_("Weighted mean (raw)")})
SHARE_ROWS = 3


def share_key_choices() -> list[tuple[str, str]]:
    """"region:Africa" and "theme:<key>", as recommendation.parse_shares reads them, in the
    reader's language."""
    return ([("", _("No minimum share"))] + [(f"region:{r}", _("Region: %(region)s", region=region_name(r))) for r in REGIONS]
            + [(f"theme:{key}", _("Theme: %(theme)s", theme=label)) for key, label in THEME_LABELS.items()])


class ShareForm(Form):
    key = SelectField(_l("Region or theme"), default="")
    percent = DecimalField(_l("Minimum share (%)"), places=2, validators=[
        Optional(), NumberRange(min=0.01, max=100, message=_l("A share is a percentage above 0 and at most 100."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.key.choices = share_key_choices()


class RecommendationForm(FlaskForm):
    envelope_usd = MoneyInputField(_l("Envelope (USD)"))
    objective = SelectField(_l("Objective"))
    min_score = DecimalField(_l("Minimum score (optional)"), places=2, validators=[
        Optional(), NumberRange(min=0, max=100, message=_l("A minimum score is between 0 and 100."))])
    shares = FieldList(FormField(ShareForm), min_entries=SHARE_ROWS, max_entries=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.objective.choices = [(o, OBJECTIVE_LABELS[o]) for o in OBJECTIVES]  # in the reader's language

    def min_share(self) -> dict:
        """{"region:Africa": 0.25}, numbers as the API takes them (and stores them as JSON);
        the service checks keys and shares."""
        return {row.key.data: float(row.percent.data / 100) for row in self.shares if row.key.data
                and row.percent.data is not None}

    def validate_shares(self, field) -> None:
        keys = [row.key.data for row in field if row.key.data]
        for row in field:
            if row.key.data and row.percent.data is None and not row.percent.errors:
                row.percent.errors = list(row.percent.errors) + [_("Give the share for this region or theme.")]
            elif not row.key.data and row.percent.data is not None:
                row.key.errors = list(row.key.errors) + [_("Choose a region or theme for this share.")]
            elif row.key.data and keys.count(row.key.data) > 1:
                row.key.errors = list(row.key.errors) + [_("Give each region or theme once.")]
        if any(row.key.errors or row.percent.errors for row in field):
            raise ValidationError(_("Some minimum shares are not valid."))

    def share_field(self, path: str):
        """The form field of a service error path ("min_share.region:Africa", "min_score")."""
        if path.startswith("min_share."):
            key = path.removeprefix("min_share.")
            return next((row.percent for row in self.shares if row.key.data == key), None)
        return getattr(self, path, None)


class DecisionForm(FlaskForm):
    """The donors' decision on one proposal, as the secretariat records it."""

    outcome = SelectField(_l("Decision"), choices=[("approved", _l("Approve")), ("rejected", _l("Reject"))])
    approved_usd = MoneyInputField(_l("Approved amount (USD)"), optional=True)
    meeting_ref = StringField(_l("Meeting reference"), validators=[Optional(), Length(max=MEETING_REF_MAX)])
    rationale = TextAreaField(_l("Rationale"), validators=[DataRequired(_l("Give the donors' rationale.")),
                                                          Length(max=RATIONALE_MAX)])


class EndorseForm(FlaskForm):
    comment = TextAreaField(_l("Comment (optional)"), validators=[Optional(), Length(max=10_000)])
