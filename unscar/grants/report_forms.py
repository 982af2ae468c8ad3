"""The forms of the reporting pages: financial and narrative reports, their review and
files, revisions and their decision. The forms read browser input; the services
(reports.py, revisions.py) hold every rule, and place_errors puts their refusals beside
the fields they name."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import DateField, FieldList, Form, FormField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..errors import DomainError
from ..forms import FlaskForm, MoneyInputField
from .report_checks import MAX_ROWS, TEXT_MAX, VALUE_MAX

DATE = {"format": "%Y-%m-%d"}


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class ExpenditureRowForm(Form):
    category = HiddenField()
    amount_usd = MoneyInputField(_l("Amount (USD)"), optional=True)


class PeriodForm(FlaskForm):
    period_start = DateField(_l("Period from"), validators=[DataRequired(_l("Give the first day of the period."))],
                             **DATE)
    period_end = DateField(_l("Period to"), validators=[DataRequired(_l("Give the last day of the period."))], **DATE)


class FinancialReportForm(PeriodForm):
    lines = FieldList(FormField(ExpenditureRowForm), max_entries=MAX_ROWS)

    def expenditure(self) -> list[dict]:
        """The rows with an amount (a blank row reports nothing in its category)."""
        return [{"category": row.category.data, "amount_usd": row.amount_usd.data}
                for row in self.lines if row.amount_usd.data is not None]


class IndicatorRowForm(Form):
    indicator = HiddenField()
    value = StringField(_l("Progress"), filters=[_strip], validators=[Optional(), Length(max=VALUE_MAX)])


class NarrativeReportForm(PeriodForm):
    text = TextAreaField(_l("Progress in the period"), filters=[_strip],
                         validators=[DataRequired(_l("Describe the progress in the period.")), Length(max=TEXT_MAX)])
    indicators = FieldList(FormField(IndicatorRowForm), max_entries=MAX_ROWS)
    files = MultipleFileField(_l("Files (PDF, Word, Excel, PNG or JPEG; optional)"))

    def progress(self) -> list[dict]:
        """The indicators given a value (a report need not list every indicator)."""
        return [{"indicator": row.indicator.data, "value": row.value.data}
                for row in self.indicators if row.value.data]


class ReportReviewForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[("accepted", _l("Accept the report")),
                                                   ("returned", _l("Return it to the grantee for correction"))],
                          validators=[DataRequired(_l("Choose to accept or return the report."))])
    comment = TextAreaField(_l("Comment for the grantee (required when returning)"), filters=[_strip],
                            validators=[Optional(), Length(max=TEXT_MAX)])


class ReportFileForm(FlaskForm):
    file = FileField(_l("File (PDF, DOCX, XLSX, PNG or JPEG)"), validators=[FileRequired(_l("Choose a file."))])


class BudgetRowForm(Form):
    category = HiddenField()
    budget_usd = MoneyInputField(_l("New budget (USD)"), optional=True)


class RevisionForm(FlaskForm):
    lines = FieldList(FormField(BudgetRowForm), max_entries=MAX_ROWS)
    end_date = DateField(_l("New end date (a no-cost extension; optional)"), validators=[Optional()], **DATE)
    reason = TextAreaField(_l("Reason"), filters=[_strip],
                           validators=[DataRequired(_l("Say why the revision is needed.")), Length(max=TEXT_MAX)])

    def changed_lines(self, budget: dict) -> list[dict]:
        """The rows whose budget differs from the current one: the others keep theirs."""
        current = {category.value: amount for category, amount in budget.items()}
        return [{"category": row.category.data, "budget_usd": row.budget_usd.data} for row in self.lines
                if row.budget_usd.data is not None and row.budget_usd.data != current.get(row.category.data)]


class RevisionDecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[("approved", _l("Approve and apply the revision")),
                                                   ("rejected", _l("Reject it"))],
                          validators=[DataRequired(_l("Choose to approve or reject the revision."))])
    comment = TextAreaField(_l("Comment for the grantee (optional)"), filters=[_strip],
                            validators=[Optional(), Length(max=TEXT_MAX)])


def _field(form, path: str, rows: dict):
    """The form field a service's dotted path names (`lines.0.amount_usd`), or None."""
    name, _, rest = path.partition(".")
    field = getattr(form, name, None)
    if field is None or not rest:
        return field
    index, _, sub = rest.partition(".")
    entries = rows.get(name, list(getattr(field, "entries", [])))
    if not index.isdigit() or int(index) >= len(entries):
        return field
    entry = entries[int(index)]
    return getattr(entry.form, sub, None) if sub else None


def place_errors(form, error: DomainError, rows: dict | None = None, aliases: dict | None = None) -> bool:
    """Put a service's field errors beside the form's fields; True if any landed there.

    `rows` maps a list's name to the entries the service saw, in its order (the rows left
    blank were not sent to it, so its `lines.2` is the third row with an amount); `aliases`
    maps a service's name to the form's (`file` → `files`)."""
    placed = False
    for path, messages in (error.errors or {}).items():
        field = _field(form, (aliases or {}).get(path, path), rows or {})
        if field is not None and hasattr(field, "errors"):
            if isinstance(field.errors, dict) or not isinstance(field.errors, list):
                field.errors = []
            field.errors = list(field.errors) + list(messages)
            placed = True
    return placed
