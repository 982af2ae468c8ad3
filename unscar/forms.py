"""Helpers shared by the web forms of every domain, and their base class."""
import flask_wtf
from wtforms import FieldList, FormField

from .errors import DomainError
from .inputs import unstorable_text_message


class FlaskForm(flask_wtf.FlaskForm):
    """Every page's form: text that no database could keep (NUL, lone surrogates) is a
    field error, whatever the field, its validators or its place in a list of rows."""

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        return refuse_unstorable_text(self) and valid


def refuse_unstorable_text(form) -> bool:
    """Put an error on each field of `form` (and of its sub-forms) whose input cannot be
    stored; False if there was one."""
    clean = True
    for field in form:
        if isinstance(field, FormField):
            clean = refuse_unstorable_text(field.form) and clean
        elif isinstance(field, FieldList):
            for entry in field.entries:
                clean = refuse_unstorable_text([entry] if not isinstance(entry, FormField) else entry.form) and clean
        else:
            messages = [unstorable_text_message(raw) for raw in field.raw_data or [] if isinstance(raw, str)]
            messages = [m for m in messages if m]
            if messages:
                field.errors = list(field.errors) + messages[:1]
                clean = False
    return clean


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
