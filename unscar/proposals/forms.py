"""Web forms of proposals. They read and check browser input and hand plain values to
services.py, which holds the rules; a draft may be incomplete, so every field is optional."""
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (DateField, FieldList, Form, FormField, IntegerField, SelectField, StringField,
                     TextAreaField)
from wtforms.validators import Length, NumberRange, Optional, ValidationError

from .. import languages
from ..forms import FlaskForm, GroupedCheckboxField, MoneyInputField, MultiCheckboxField
from ..inputs import ASCII_NUMBER
from ..money import read_typed_amount
from ..regions import countries_by_region
from ..vocabulary import ACTIVITY_TYPE_LABELS, BUDGET_CATEGORY_LABELS, INSTRUMENT_LABELS, THEME_LABELS
from .models import LONG_TEXT_MAX, SHORT_TEXT_MAX, SUMMARY_MAX, TITLE_MAX
from .schemas import MAX_BUDGET_LINES, MAX_INDICATORS, MAX_OUTCOMES, MAX_OUTPUTS

GENDER_MARKERS = [("", _l("Choose")), ("0", _l("0: gender equality is not targeted")),
                  ("1", _l("1: gender equality is a significant objective")),
                  ("2", _l("2: gender equality is the principal objective"))]
MAX_QUANTITY = Decimal("10000000")


def _text(value):
    """Trimmed, with the browser's CRLF line ends as the API's LF."""
    return value.replace("\r\n", "\n").strip() if isinstance(value, str) else value


def _number_text(value):
    """A quantity as the reader's language writes it ("4,500.00" in English, "4 500,00" in
    French) in the plain form ("4500.00"); what reads as no number is left for the field's
    check to refuse. (Money fields read amounts themselves: MoneyInputField.)"""
    return str(read_typed_amount(_text(value))) if isinstance(value, str) and value.strip() else value


def _optional_int(value):
    return None if value in (None, "") else int(value)


def language_choices(call=None):
    """The call's languages, or all 184 of ISO 639-1 when it names none; UN languages first."""
    return [("", _("Choose"))] + languages.language_choices(call.languages if call is not None else None)


class QuantityText(StringField):
    """A positive number with at most two decimals, as the API's budget lines take it."""

    def pre_validate(self, form):
        if self.data in (None, ""):
            self.data = None
            return
        if not ASCII_NUMBER.fullmatch(self.data):
            raise ValidationError(_("Give a number with the digits 0-9 and at most two decimals."))
        try:
            number = Decimal(self.data)
        except InvalidOperation:
            raise ValidationError(_("Not a number.")) from None
        if not number.is_finite() or number != number.quantize(Decimal("0.01")):
            raise ValidationError(_("Give a number with at most two decimals."))
        if not 0 < number <= MAX_QUANTITY:
            raise ValidationError(_("Give a quantity above 0 and at most 10,000,000."))
        self.data = number


class SummaryForm(FlaskForm):
    title = StringField(_l("Title"), filters=[_text], validators=[Optional(), Length(max=TITLE_MAX)])
    summary = TextAreaField(_l("Summary"), filters=[_text], validators=[Optional(), Length(max=SUMMARY_MAX)],
                            render_kw={"rows": 6})
    objectives = TextAreaField(_l("Objectives"), filters=[_text],
                               validators=[Optional(), Length(max=LONG_TEXT_MAX)], render_kw={"rows": 6})

    def values(self) -> dict:
        return {name: getattr(self, name).data or "" for name in ("title", "summary", "objectives")}


class IndicatorForm(Form):
    indicator = StringField(_l("Indicator"), filters=[_text], validators=[Optional(), Length(max=SHORT_TEXT_MAX)])
    baseline = StringField(_l("Baseline"), filters=[_text], validators=[Optional(), Length(max=SHORT_TEXT_MAX)])
    target = StringField(_l("Target"), filters=[_text], validators=[Optional(), Length(max=SHORT_TEXT_MAX)])


class OutputForm(Form):
    output = StringField(_l("Output"), filters=[_text], validators=[Optional(), Length(max=SHORT_TEXT_MAX)])
    indicators = FieldList(FormField(IndicatorForm), max_entries=MAX_INDICATORS)


class OutcomeForm(Form):
    outcome = StringField(_l("Outcome"), filters=[_text], validators=[Optional(), Length(max=SHORT_TEXT_MAX)])
    outputs = FieldList(FormField(OutputForm), max_entries=MAX_OUTPUTS)


BLANK_OUTCOME = {"outcome": "", "outputs": [{"output": "", "indicators": [{}]}]}


class ResultsForm(FlaskForm):
    """Outcomes → outputs → indicators; rows left blank are dropped."""

    results = FieldList(FormField(OutcomeForm), max_entries=MAX_OUTCOMES)

    def values(self) -> dict:
        outcomes = []
        for outcome in self.results.data:
            outputs = []
            for output in outcome["outputs"]:
                indicators = [{key: row[key] or "" for key in ("indicator", "baseline", "target")}
                              for row in output["indicators"] if any(row.values())]
                if output["output"] or indicators:
                    outputs.append({"output": output["output"] or "", "indicators": indicators})
            if outcome["outcome"] or outputs:
                outcomes.append({"outcome": outcome["outcome"] or "", "outputs": outputs})
        return {"results": outcomes}


class ScopeForm(FlaskForm):
    activity_types = MultiCheckboxField(_l("Activity types"))
    themes = MultiCheckboxField(_l("Themes"))
    instruments = MultiCheckboxField(_l("Instruments the project supports"))
    countries = GroupedCheckboxField(_l("Beneficiary countries"))

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Built here, not in the class body, so the labels are in the reader's language.
        self.activity_types.choices = list(ACTIVITY_TYPE_LABELS.items())
        self.instruments.choices = list(INSTRUMENT_LABELS.items())
        self.countries.choices = countries_by_region()
        priorities = call.themes if call is not None else ()  # marked where the applicant chooses
        self.themes.choices = [(key, _("%(theme)s (a priority of this call)", theme=label) if key in priorities
                                else label) for key, label in THEME_LABELS.items()]

    def values(self) -> dict:
        """The chosen keys in the order of the choices, whatever order they were posted in."""
        values = {name: [key for key, _label in getattr(self, name).choices if key in (getattr(self, name).data or [])]
                  for name in ("activity_types", "themes", "instruments")}
        values["countries"] = [key for _region, rows in self.countries.choices.items() for key, _name in rows
                               if key in (self.countries.data or [])]
        return values


class PlanForm(FlaskForm):
    start_date = DateField(_l("Start date"), validators=[Optional()])
    duration_months = IntegerField(_l("Duration in months"), validators=[Optional(), NumberRange(min=1, max=120)])
    gender_marker = SelectField(_l("Gender marker (OECD DAC)"), choices=GENDER_MARKERS, coerce=_optional_int)
    language = SelectField(_l("Language of the proposal"), choices=language_choices)
    risks = TextAreaField(_l("Risks and how they are managed"), filters=[_text],
                          validators=[Optional(), Length(max=LONG_TEXT_MAX)], render_kw={"rows": 5})
    sustainability = TextAreaField(_l("Sustainability"), filters=[_text],
                                   validators=[Optional(), Length(max=LONG_TEXT_MAX)], render_kw={"rows": 5})
    cofunding_usd = MoneyInputField(_l("Co-funding from other sources (USD)"),
                                    optional=True)

    def __init__(self, *args, call=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices(call)

    def values(self) -> dict:
        return {"start_date": self.start_date.data, "duration_months": self.duration_months.data,
                "gender_marker": self.gender_marker.data, "language": self.language.data or None,
                "risks": self.risks.data or "", "sustainability": self.sustainability.data or "",
                "cofunding_usd": self.cofunding_usd.data}


class BudgetLineForm(Form):
    """One line; a line left entirely blank is ignored, a started one needs every value."""

    category = SelectField(_l("Category"))
    description = StringField(_l("Description"), filters=[_text],
                              validators=[Optional(), Length(max=SHORT_TEXT_MAX)])
    unit = StringField(_l("Unit"), filters=[_text], validators=[Optional(), Length(max=50)])
    quantity = QuantityText(_l("Quantity"), filters=[_number_text])
    unit_cost_usd = MoneyInputField(_l("Unit cost (USD)"), optional=True)
    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=2000, max=2100)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", _("Choose"))] + list(BUDGET_CATEGORY_LABELS.items())

    def is_blank(self) -> bool:
        return not any((field.raw_data or [""])[0].strip() for field in self)

    def validate(self, extra_validators=None):
        if self.is_blank():
            return True
        valid = super().validate(extra_validators)
        for field in self:
            if field.data in (None, "") and not field.errors:
                field.errors.append(_("Required."))
                valid = False
        return valid

    def row(self) -> dict:
        return {name: field.data for name, field in self._fields.items()}


class BudgetForm(FlaskForm):
    lines = FieldList(FormField(BudgetLineForm), max_entries=MAX_BUDGET_LINES)

    def rows(self) -> list[dict]:
        return [entry.form.row() for entry in self.lines if not entry.form.is_blank()]


class AttachmentForm(FlaskForm):
    file = FileField(_l("File (PDF, DOCX, XLSX, PNG or JPEG)"), validators=[FileRequired(_l("Choose a file."))])


class WithdrawForm(FlaskForm):
    reason = TextAreaField(_l("Reason (optional)"), filters=[_text],
                           validators=[Optional(), Length(max=LONG_TEXT_MAX)], render_kw={"rows": 2})
