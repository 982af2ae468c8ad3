"""Web forms of the intake: the list's filters, screening, questions and answers.
The rules themselves are in the proposals' services."""
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, RadioField, SearchField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..accounts.forms import country_choices
from ..forms import FlaskForm
from ..proposals.models import LONG_TEXT_MAX, PROPOSAL_STATUS_LABELS
from ..vocabulary import ORGANISATION_TYPE_LABELS, THEME_LABELS
from .queries import DEFAULT_SORT, INTAKE_STATES
from .services import REASON_REQUIRED

SORT_LABELS = {
    "submitted": _l("Submitted, oldest first"), "-submitted": _l("Submitted, newest first"),
    "requested": _l("Requested amount, smallest first"), "-requested": _l("Requested amount, largest first"),
    "reference": _l("Reference"), "-reference": _l("Reference, descending"),
    "organisation": _l("Organisation, A to Z"), "-organisation": _l("Organisation, Z to A"),
}


def _any(label: str) -> list[tuple[str, str]]:
    return [("", label)]


class IntakeFilterForm(FlaskForm):
    """The list's filters, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    q = SearchField(_l("Title or reference"), validators=[Optional(), Length(max=200)])
    status = SelectField(_l("Status"))
    organisation_type = SelectField(_l("Organisation type"))
    country = SelectField(_l("Beneficiary country"))
    theme = SelectField(_l("Theme"))
    verified = SelectField(_l("Verification"), choices=[("", _l("Verified or not")), ("yes", _l("Verified")),
                                                        ("no", _l("Not verified"))])
    sort = SelectField(_l("Sort by"), choices=list(SORT_LABELS.items()), default=DEFAULT_SORT)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels read in the reader's language, so these choices are made with the form.
        self.status.choices = _any(_("Any status")) + [(s.value, PROPOSAL_STATUS_LABELS[s.value])
                                                       for s in INTAKE_STATES]
        self.organisation_type.choices = _any(_("Any type")) + list(ORGANISATION_TYPE_LABELS.items())
        self.theme.choices = _any(_("Any theme")) + list(THEME_LABELS.items())
        self.country.choices = _any(_("Any country")) + country_choices()[1:]

    def filters(self) -> dict:
        """The valid values only: a tampered query string filters by what is left."""
        self.validate()
        return {name: field.data for name, field in self._fields.items() if not field.errors and field.data}


class ScreeningForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[("eligible", _l("Eligible: goes to review")),
                                                   ("ineligible", _l("Ineligible: screened out"))],
                          validators=[DataRequired(_l("Choose a decision."))])
    reason = TextAreaField(_l("Reason (sent to the applicant; required when ineligible)"),
                           validators=[Optional(), Length(max=LONG_TEXT_MAX)])
    # Shown only when the proposal has unanswered questions (the view asks after a refusal).
    confirm_open_questions = BooleanField(_l("Screen it out without waiting for the answer"))

    def validate_reason(self, field):
        if self.decision.data == "ineligible" and not (field.data or "").strip():
            raise ValidationError(REASON_REQUIRED)


class QuestionForm(FlaskForm):
    question = TextAreaField(_l("Question to the applicant"),
                             validators=[DataRequired(_l("Write the question.")), Length(max=LONG_TEXT_MAX)])


class AnswerForm(FlaskForm):
    answer = TextAreaField(_l("Your answer"),
                           validators=[DataRequired(_l("Write your answer.")), Length(max=LONG_TEXT_MAX)])
    files = MultipleFileField(_l("Files (PDF, Word, Excel, PNG or JPEG; optional)"))


class ActionForm(FlaskForm):
    """A CSRF-protected button (verify, withdraw verification)."""
