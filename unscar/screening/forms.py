"""Web forms of the intake: the list's filters, screening, questions and answers.
The rules themselves are in the proposals' services."""
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, RadioField, SearchField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..accounts.forms import country_choices
from ..forms import FlaskForm
from ..proposals.models import LONG_TEXT_MAX
from ..vocabulary import ORGANISATION_TYPE_LABELS, THEME_LABELS
from .queries import DEFAULT_SORT, INTAKE_STATES
from .services import REASON_REQUIRED

SORT_LABELS = {
    "submitted": "Submitted, oldest first", "-submitted": "Submitted, newest first",
    "requested": "Requested amount, smallest first", "-requested": "Requested amount, largest first",
    "reference": "Reference", "-reference": "Reference, descending",
    "organisation": "Organisation, A to Z", "-organisation": "Organisation, Z to A",
}


def _any(label: str) -> list[tuple[str, str]]:
    return [("", label)]


class IntakeFilterForm(FlaskForm):
    """The list's filters, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    q = SearchField("Title or reference", validators=[Optional(), Length(max=200)])
    status = SelectField("Status", choices=_any("Any status") + [(s.value, s.value.replace("_", " "))
                                                                 for s in INTAKE_STATES])
    organisation_type = SelectField("Organisation type",
                                    choices=_any("Any type") + list(ORGANISATION_TYPE_LABELS.items()))
    country = SelectField("Beneficiary country")
    theme = SelectField("Theme", choices=_any("Any theme") + list(THEME_LABELS.items()))
    verified = SelectField("Verification", choices=[("", "Verified or not"), ("yes", "Verified"),
                                                    ("no", "Not verified")])
    sort = SelectField("Sort by", choices=list(SORT_LABELS.items()), default=DEFAULT_SORT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = _any("Any country") + country_choices()[1:]

    def filters(self) -> dict:
        """The valid values only: a tampered query string filters by what is left."""
        self.validate()
        return {name: field.data for name, field in self._fields.items() if not field.errors and field.data}


class ScreeningForm(FlaskForm):
    decision = RadioField("Decision", choices=[("eligible", "Eligible: goes to review"),
                                               ("ineligible", "Ineligible: screened out")],
                          validators=[DataRequired("Choose a decision.")])
    reason = TextAreaField("Reason (sent to the applicant; required when ineligible)",
                           validators=[Optional(), Length(max=LONG_TEXT_MAX)])
    # Shown only when the proposal has unanswered questions (the view asks after a refusal).
    confirm_open_questions = BooleanField("Screen it out without waiting for the answer")

    def validate_reason(self, field):
        if self.decision.data == "ineligible" and not (field.data or "").strip():
            raise ValidationError(REASON_REQUIRED)


class QuestionForm(FlaskForm):
    question = TextAreaField("Question to the applicant",
                             validators=[DataRequired("Write the question."), Length(max=LONG_TEXT_MAX)])


class AnswerForm(FlaskForm):
    answer = TextAreaField("Your answer", validators=[DataRequired("Write your answer."), Length(max=LONG_TEXT_MAX)])
    files = MultipleFileField("Files (PDF, Word, Excel, PNG or JPEG; optional)")


class ActionForm(FlaskForm):
    """A CSRF-protected button (verify, withdraw verification)."""
