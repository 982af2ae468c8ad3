"""What the web forms of every domain share: field types and putting a service's errors on
a form. Part of the kernel: it imports no domain."""
from wtforms import SelectMultipleField, StringField, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from .errors import DomainError
from .money import MoneyError, parse_money


class MultiCheckboxField(SelectMultipleField):
    """A list of choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MoneyField(StringField):
    """An amount in USD, checked with the API's rule (parse_money); `.data` becomes a Decimal.

    Required unless `optional=True`, in which case a blank field gives None.
    """

    def __init__(self, label=None, validators=None, optional: bool = False, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.optional = optional

    def pre_validate(self, form):
        if self.data in (None, ""):
            if self.optional:
                self.data = None
                return
            raise ValidationError("Give an amount.")
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
