"""What the web forms of every domain share: their base class (refusing what no database
could keep), field types, and putting a service's errors on a form. Part of the kernel: it
imports no domain."""
from decimal import Decimal

import flask_wtf
from flask_babel import gettext as _
from wtforms import FieldList, FormField, SelectMultipleField, StringField, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .errors import DomainError
from .inputs import MAX_INTEGER, unstorable_text_message
from .money import MoneyError, group_money, parse_money, read_typed_amount


class FlaskForm(flask_wtf.FlaskForm):
    """Every page's form: text that no database could keep (NUL, lone surrogates) and
    whole numbers beyond a BIGINT (ids, years) are field errors, whatever the field, its
    validators or its place in a list of rows."""

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        return refuse_unstorable(self) and valid


def refuse_unstorable(form) -> bool:
    """Put an error on each field of `form` (and of its sub-forms) whose input cannot be
    stored; False if there was one."""
    clean = True
    for field in form:
        if isinstance(field, FormField):
            clean = refuse_unstorable(field.form) and clean
        elif isinstance(field, FieldList):
            for entry in field.entries:
                clean = refuse_unstorable(entry.form if isinstance(entry, FormField) else [entry]) and clean
        else:
            message = _unstorable(field)
            if message:
                field.errors = list(field.errors) + [message]
                clean = False
    return clean


def _unstorable(field) -> str | None:
    for raw in field.raw_data or []:
        if isinstance(raw, str) and unstorable_text_message(raw):
            return unstorable_text_message(raw)
    values = field.data if isinstance(field.data, (list, tuple)) else [field.data]
    if any(isinstance(v, int) and abs(v) > MAX_INTEGER for v in values):
        return _("The number is out of range.")
    return None


class MultiCheckboxField(SelectMultipleField):
    """A list of choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class GroupedCheckboxField(SelectMultipleField):
    """Many choices in named groups (`choices` a dict {group: [(value, label)]}), shown by
    _macros/picker.html as checkboxes in one fieldset per group, searchable where JavaScript
    runs (static/js/picker.js): no Ctrl-click in a 249-line list."""


class MoneyInputField(StringField):
    """An amount in USD as the reader's language writes it or in the plain form (money.
    read_typed_amount), checked with the API's rule (parse_money); `.data` becomes a Decimal.

    Required unless `optional=True`, in which case a blank field gives None.
    """

    def __init__(self, label=None, validators=None, optional: bool = False, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal", "autocomplete": "off"})
        super().__init__(label, validators, **kwargs)
        self.optional = optional

    def _value(self):
        """The amount grouped as pages show money ("150,000.00"), which this field reads
        back; what was typed when it is not an amount, so it can be corrected."""
        if isinstance(self.data, (Decimal, int)) and not isinstance(self.data, bool):
            return group_money(self.data)
        if self.raw_data:
            return self.raw_data[0]
        return self.data or ""

    def pre_validate(self, form):
        if self.data in (None, ""):
            if self.optional:
                self.data = None
                return
            raise ValidationError(_("Give an amount."))
        if isinstance(self.data, str):
            # People type amounts as their language writes them ("4,500.00" in English, "4 500,00"
            # in French) or plainly ("4500"); the API takes only the plain form.
            self.data = read_typed_amount(self.data)
        try:
            self.data = parse_money(self.data)
        except MoneyError as error:
            raise ValidationError(str(error)) from None


def show_domain_error(form, error: DomainError, fields: dict[str, str] | None = None) -> bool:
    """Put a service's field errors on the form's fields; True if any landed there.

    `fields` maps the service's dotted paths to form field names where they differ.
    """
    fields = fields or {}
    placed = False
    for path, messages in (error.errors or {}).items():
        name = fields.get(path, path)
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + list(messages)
            placed = True
    return placed
