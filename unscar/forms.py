"""Helpers shared by the web forms of every domain."""
from .errors import DomainError


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
