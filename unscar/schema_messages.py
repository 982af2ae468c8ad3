"""marshmallow's own messages ("Missing data for required field.", "Not a valid integer.",
"Must be one of: ...") in the reader's language, as the project's own messages are. Part of
the kernel: unscar/schemas.py imports it, so it is installed before any schema is defined
(a field copies its class's messages when it is made, at import time).

Each message is a LazyMessage: a str holding the English (marshmallow checks that some are
str: fields.Email refuses anything else), read in the request's language wherever it is
used. marshmallow formats every message it raises, fields and validators alike (format),
and the API writes the few it stores as they are ("Unknown field.") through str()
(api/io.flatten_errors). The English is marshmallow's own, so answers in English do not change.
"""
from flask_babel import gettext
from marshmallow import Schema, fields, validate

from .vocabulary import N_


class LazyMessage(str):
    """A message whose str() and format() are in the request's language (English without one)."""

    def __str__(self) -> str:
        return gettext(str.__str__(self))

    def format(self, *args, **kwargs) -> str:
        return str(self).format(*args, **kwargs)


class _Unfinished(str):
    """Range's sentences, which it completes with the words of its bounds when it is made
    ("Must be {min_op} {{min}}." with "greater than or equal to"): completed, each is one of
    RANGE_SENTENCES, then read lazily."""

    def format(self, *args, **kwargs) -> LazyMessage:
        return LazyMessage(str.format(self, *args, **kwargs))


def _lazy(messages: dict) -> dict:
    return {key: LazyMessage(text) for key, text in messages.items()}


# The fields the project's schemas use, with marshmallow's English for each error.
FIELD_MESSAGES = {
    fields.Field: {"required": N_("Missing data for required field."), "null": N_("Field may not be null."),
                   "validator_failed": N_("Invalid value.")},
    fields.Nested: {"type": N_("Invalid type.")},
    fields.List: {"invalid": N_("Not a valid list.")},
    fields.String: {"invalid": N_("Not a valid string."), "invalid_utf8": N_("Not a valid utf-8 string.")},
    fields.Number: {"invalid": N_("Not a valid number."), "too_large": N_("Number too large.")},
    fields.Integer: {"invalid": N_("Not a valid integer.")},
    fields.Boolean: {"invalid": N_("Not a valid boolean.")},
    # marshmallow writes "Not a valid {obj_type}." with the English name of the type: whole
    # sentences here, so the type's name is translated with them.
    fields.DateTime: {"invalid": N_("Not a valid datetime."),
                      "invalid_awareness": N_("Not a valid {awareness} datetime."),
                      "format": N_('"{input}" cannot be formatted as a datetime.')},
    fields.AwareDateTime: {"invalid_awareness": N_("Not a valid aware datetime.")},
    # A date has no time zone: marshmallow never raises invalid_awareness for it.
    fields.Date: {"invalid": N_("Not a valid date."), "invalid_awareness": N_("Not a valid date."),
                  "format": N_('"{input}" cannot be formatted as a date.')},
    fields.Mapping: {"invalid": N_("Not a valid mapping type.")},
    fields.Email: {"invalid": N_("Not a valid email address.")},
}
SCHEMA_MESSAGES = {"type": N_("Invalid input type."), "unknown": N_("Unknown field.")}
VALIDATOR_MESSAGES = {
    validate.Length: {"message_min": N_("Shorter than minimum length {min}."),
                      "message_max": N_("Longer than maximum length {max}."),
                      "message_all": N_("Length must be between {min} and {max}."),
                      "message_equal": N_("Length must be {equal}.")},
    validate.OneOf: {"default_message": N_("Must be one of: {choices}.")},
    validate.Equal: {"default_message": N_("Must be equal to {other}.")},
    validate.Regexp: {"default_message": N_("String does not match expected pattern.")},
    validate.Email: {"default_message": N_("Not a valid email address.")},
}
# Range's sentences as it completes them, by the inclusiveness of its bounds.
RANGE_SENTENCES = (
    N_("Must be greater than or equal to {min}."), N_("Must be greater than {min}."),
    N_("Must be less than or equal to {max}."), N_("Must be less than {max}."),
    N_("Must be greater than or equal to {min} and less than or equal to {max}."),
    N_("Must be greater than or equal to {min} and less than {max}."),
    N_("Must be greater than {min} and less than or equal to {max}."),
    N_("Must be greater than {min} and less than {max}."),
)


def install() -> None:
    for field_class, messages in FIELD_MESSAGES.items():
        field_class.default_error_messages = _lazy(messages)
    Schema._default_error_messages = _lazy(SCHEMA_MESSAGES)
    for validator_class, messages in VALIDATOR_MESSAGES.items():
        for name, message in _lazy(messages).items():
            setattr(validator_class, name, message)
    for name in ("message_min", "message_max", "message_all"):
        setattr(validate.Range, name, _Unfinished(getattr(validate.Range, name)))


install()
