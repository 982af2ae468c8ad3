"""Web forms of calls. They read and check browser input; the rules are in services.py."""
from datetime import datetime
from zoneinfo import ZoneInfo, available_timezones

from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from markupsafe import Markup, escape
from wtforms import (BooleanField, DecimalField, FieldList, Form, FormField, HiddenField, IntegerField, SelectField,
                     StringField, TextAreaField)
from wtforms.fields import DateTimeLocalField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..forms import FlaskForm, GroupedCheckboxField, MoneyInputField, MultiCheckboxField
from ..i18n import LANGUAGES, RIGHT_TO_LEFT
from ..languages import language_choices, language_name
from ..regions import REGIONS, countries_by_region, region_name
from ..richtext import ALLOWED_TAGS
from ..vocabulary import INSTRUMENT_LABELS, ORGANISATION_TYPE_LABELS, THEME_LABELS
from .models import CRITERION_NAME_MAX, DESCRIPTION_MAX, GUIDANCE_MAX, GUIDELINES_MAX, TITLE_MAX

DATETIME_FORMAT = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class CriterionForm(Form):
    """One row of the criteria table; a row without a name is ignored."""

    name = StringField(_l("Criterion"), validators=[Optional(), Length(max=CRITERION_NAME_MAX)])
    guidance = TextAreaField(_l("Guidance for reviewers"), validators=[Optional(), Length(max=GUIDANCE_MAX)])
    weight = DecimalField(_l("Weight"), places=2, validators=[Optional(), NumberRange(min=0.01, max=1000)])


class CallTextForm(Form):
    """The call's title, description and guidelines in one more language; no title: none."""

    title = StringField(_l("Title"), validators=[Optional(), Length(max=TITLE_MAX)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=DESCRIPTION_MAX)],
                                render_kw={"rows": 4})
    guidelines = TextAreaField(_l("Guidelines for applicants"), validators=[Optional(), Length(max=GUIDELINES_MAX)],
                               render_kw={"rows": 4})


def _rich_text_help() -> Markup:
    """The sentence in the reader's language, the tags in it marked as code, which reads the
    same in every language (lang="zxx": no language)."""
    tags = Markup('<code lang="zxx">{}</code>').format(", ".join(f"<{t}>" for t in sorted(ALLOWED_TAGS)))
    return escape(_("HTML is allowed: %(tags)s; anything else is removed.")) % {"tags": tags}


def _zone_choices():
    return [(z, z) for z in sorted(available_timezones())]


class _Deadlines(FlaskForm):
    """The fields every call form has: times are entered in a chosen zone."""

    timezone = SelectField(_l("Times are in the time zone"), default="UTC")
    closes_at = DateTimeLocalField(_l("Closes at"), format=DATETIME_FORMAT, validators=[InputRequired()])
    review_closes_at = DateTimeLocalField(_l("Reviews close at (optional)"), format=DATETIME_FORMAT,
                                          validators=[Optional()])
    envelope_usd = MoneyInputField(_l("Envelope (USD available)"))
    description = TextAreaField(_l("Description"), validators=[DataRequired(), Length(max=DESCRIPTION_MAX)],
                                render_kw={"rows": 6})
    guidelines = TextAreaField(_l("Guidelines for applicants"),
                               validators=[DataRequired(), Length(max=GUIDELINES_MAX)], render_kw={"rows": 6})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.timezone.choices = _zone_choices()
        self.description.description = self.guidelines.description = _rich_text_help()

    def aware(self, value: datetime | None) -> datetime | None:
        return None if value is None else value.replace(tzinfo=ZoneInfo(self.timezone.data or "UTC"))

    def show_times(self, call, zone: str) -> None:
        """Fill the time fields from a call, in `zone`."""
        self.timezone.data = zone
        for name in ("opens_at", "closes_at", "review_closes_at"):
            if hasattr(self, name) and getattr(call, name) is not None:
                getattr(self, name).data = getattr(call, name).astimezone(ZoneInfo(zone)).replace(tzinfo=None)

    def translation_forms(self) -> list[tuple[str, str, "CallTextForm"]]:
        """(code, language name in itself, sub-form) for each of the UN languages; what is
        typed in a sub-form is marked as being in its language (spell-checking, direction)."""
        forms = [(code, LANGUAGES[code], getattr(self, f"text_{code}")) for code in TRANSLATED_INTO]
        for code, _name, sub in forms:
            for field, label in zip(sub, (_("Title in %(language)s", language=language_name(code)),
                                          _("Description in %(language)s", language=language_name(code)),
                                          _("Guidelines in %(language)s", language=language_name(code)))):
                # Each its own label ("Title in French"): six fields called "Title" would be one to a screen reader.
                field.label.text = label
                field.render_kw = {**(field.render_kw or {}), "lang": code, "dir": "rtl" if code in RIGHT_TO_LEFT else "ltr"}
        return forms

    def show_translations(self, call) -> None:
        for text in call.translations:
            if text.language in TRANSLATED_INTO:
                getattr(self, f"text_{text.language}").form.process(None, obj=text)

    def values(self) -> dict:
        return {"closes_at": self.aware(self.closes_at.data),
                "review_closes_at": self.aware(self.review_closes_at.data),
                "envelope_usd": self.envelope_usd.data, "description": self.description.data,
                "guidelines": self.guidelines.data,
                "translations": {code: sub.data for code, _name, sub in self.translation_forms()
                                 if (sub.title.data or "").strip()}}


# One sub-form per UN language (the call's own fields keep the language it was written in).
TRANSLATED_INTO = tuple(LANGUAGES)
for _code in TRANSLATED_INTO:
    setattr(_Deadlines, f"text_{_code}", FormField(CallTextForm, separator="-"))


class CallChangeForm(_Deadlines):
    """What may change once a call is open (API.md PATCH /calls/{id})."""


class CallForm(_Deadlines):
    """Every field of a call, for a new call or a draft."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=TITLE_MAX)])
    year = IntegerField(_l("Year"), validators=[InputRequired(), NumberRange(min=2000, max=2100)])
    opens_at = DateTimeLocalField(_l("Opens at"), format=DATETIME_FORMAT, validators=[InputRequired()])
    min_budget_usd = MoneyInputField(_l("Minimum budget per proposal (USD)"))
    max_budget_usd = MoneyInputField(_l("Maximum budget per proposal (USD)"))
    min_duration_months = IntegerField(_l("Minimum duration (months)"), validators=[InputRequired()])
    max_duration_months = IntegerField(_l("Maximum duration (months)"), validators=[InputRequired()])
    indirect_cap_pct = DecimalField(_l("Indirect support costs cap (percentage of direct costs)"), places=2, default=7,
                                    validators=[InputRequired(), NumberRange(min=0, max=100)])
    eligible_applicant_types = MultiCheckboxField(
        _l("Who may apply"), default=["ngo", "research_institute", "regional_organisation", "un_entity"])
    eligible_regions = MultiCheckboxField(_l("Beneficiary regions (none ticked: all)"))
    eligible_countries = GroupedCheckboxField(_l("Beneficiary countries (none chosen: all)"))
    languages = GroupedCheckboxField(_l("Languages proposals may be written in (none chosen: any)"))
    themes = MultiCheckboxField(_l("Priority themes"))
    instruments = MultiCheckboxField(_l("Instruments"))
    max_proposals_per_organisation = IntegerField(_l("Proposals per organisation (empty: no limit)"),
                                                  validators=[Optional(), NumberRange(min=1)])
    blind_review = BooleanField(_l("Blind review (reviewers do not see who applied)"))
    reviewers_per_proposal = IntegerField(_l("Reviewers per proposal"), default=3,
                                          validators=[InputRequired(), NumberRange(min=1, max=10)])
    scale_max = IntegerField(_l("Scores run from 1 to"), default=5,
                             validators=[InputRequired(), NumberRange(min=2, max=10)])
    criteria = FieldList(FormField(CriterionForm), min_entries=3, max_entries=30)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels read in the reader's language, so the choices are made with the form.
        self.eligible_applicant_types.choices = list(ORGANISATION_TYPE_LABELS.items())
        self.eligible_regions.choices = [(region, region_name(region)) for region in REGIONS]
        self.themes.choices = list(THEME_LABELS.items())
        self.instruments.choices = list(INSTRUMENT_LABELS.items())
        self.eligible_countries.choices = countries_by_region()
        choices = language_choices()
        self.languages.choices = {_("The six UN languages"): choices[:6], _("Other ISO 639-1 languages"): choices[6:]}

    def criteria_rows(self) -> list[tuple[int, dict]]:
        """(row index, values) of the rows that name a criterion."""
        return [(index, {"name": entry.form.name.data, "guidance": entry.form.guidance.data or "",
                         "weight": entry.form.weight.data})
                for index, entry in enumerate(self.criteria.entries) if (entry.form.name.data or "").strip()]

    def values(self) -> dict:
        values = super().values()
        values.update({name: getattr(self, name).data for name in (
            "title", "year", "min_budget_usd", "max_budget_usd", "min_duration_months", "max_duration_months",
            "indirect_cap_pct", "eligible_applicant_types", "eligible_regions", "eligible_countries", "themes",
            "instruments", "languages", "max_proposals_per_organisation", "blind_review", "reviewers_per_proposal",
            "scale_max")})
        values["opens_at"] = self.aware(self.opens_at.data)
        values["criteria"] = [row for _index, row in self.criteria_rows()]
        return values


class StatusForm(FlaskForm):
    status = HiddenField(validators=[DataRequired()])


class TemplateUploadForm(FlaskForm):
    file = FileField(_l("Template (PDF, DOCX or XLSX)"), validators=[FileRequired(_l("Choose a file."))])


class DeleteForm(FlaskForm):
    """A CSRF-protected button."""


def place_errors(form, errors: dict) -> list[str]:
    """Put a service's dotted-path errors on the form's fields; returns those that fit nowhere."""
    rows = dict(enumerate(index for index, _row in form.criteria_rows())) if hasattr(form, "criteria") else {}
    stray = []
    for path, messages in errors.items():
        name, _, rest = path.partition(".")
        field = getattr(form, name, None)
        if name == "criteria" and not rest:
            field = None
        elif name == "criteria" and field is not None:
            index, _, sub = rest.partition(".")
            entry = field.entries[rows.get(int(index), 0)] if index.isdigit() else None
            field = getattr(entry.form, sub, None) if entry is not None else None
        if field is None or not hasattr(field, "errors"):
            stray.extend(messages)
            continue
        field.errors = list(field.errors) + list(messages)
    return stray
