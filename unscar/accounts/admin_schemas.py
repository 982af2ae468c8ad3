"""JSON shapes of an administrator's user management and of PATCH /me (API.md "Accounts")."""
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate

from ..languages import is_language
from ..schemas import PageArgsSchema
from ..vocabulary import Role
from .schemas import EMAIL_MAX, NAME_MAX, _text, single_line


class UserListArgsSchema(PageArgsSchema):
    q = fields.String(load_default=None, validate=[validate.Length(max=EMAIL_MAX), single_line])
    role = fields.String(load_default=None, validate=validate.OneOf([r.value for r in Role]))
    active = fields.Boolean(load_default=None)


class UserListItemSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    roles = fields.List(fields.String())
    organisation_id = fields.Integer(allow_none=True)
    active = fields.Boolean()


class UserPageSchema(Schema):
    items = fields.List(fields.Nested(UserListItemSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    total = fields.Integer()


class UserPatchSchema(Schema):
    roles = fields.List(fields.String(validate=validate.OneOf([r.value for r in Role])),
                        validate=validate.Length(min=1, max=len(Role)))
    active = fields.Boolean(truthy={True}, falsy={False})  # JSON true or false only


def validate_language(code: str) -> None:
    if not is_language(code):
        raise ValidationError(_("Not an ISO 639-1 language code."))


class MePatchSchema(Schema):
    name = _text(NAME_MAX)
    language = fields.String(allow_none=True, validate=validate_language)
    timezone = fields.String(allow_none=True, validate=[validate.Length(max=64), single_line])
