"""JSON shapes of the accounts API. Maximum lengths here are the documented ones."""
import re

import pycountry
from flask_babel import gettext as _, lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate

from ..i18n import LANGUAGES
from ..schemas import IdField
from ..vocabulary import OrganisationType, Role

NAME_MAX = 200
EMAIL_MAX = 254
PASSWORD_MAX = 200
REGISTRATION_NUMBER_MAX = 100


def validate_country(code: str) -> None:
    if pycountry.countries.get(alpha_3=code.upper()) is None:
        raise ValidationError(_("Not an ISO 3166-1 alpha-3 country code."))


# Names go into mail headers (an invitation's subject names the organisation): a line
# break there could add headers, so no control character is accepted in a name.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
SINGLE_LINE_MESSAGE = _l("Use one line: no line breaks or control characters.")


def single_line(value: str) -> None:
    if CONTROL_CHARACTERS.search(value):
        raise ValidationError(str(SINGLE_LINE_MESSAGE))


def _text(max_length: int, **kwargs):
    return fields.String(validate=[validate.Length(min=1, max=max_length), single_line], **kwargs)


class OrganisationInSchema(Schema):
    name = _text(NAME_MAX, required=True)
    type = fields.String(required=True, validate=validate.OneOf([t.value for t in OrganisationType]))
    country = fields.String(required=True, validate=[validate.Length(equal=3), validate_country])
    registration_number = fields.String(load_default=None, allow_none=True,
                                        validate=[validate.Length(max=REGISTRATION_NUMBER_MAX), single_line])


class NewUserInSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=EMAIL_MAX))
    password = fields.String(required=True, validate=validate.Length(min=1, max=PASSWORD_MAX))
    name = _text(NAME_MAX, required=True)


class RegisterSchema(Schema):
    organisation = fields.Nested(OrganisationInSchema, required=True)
    user = fields.Nested(NewUserInSchema, required=True)


class OrganisationSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    type = fields.Function(lambda o: o.type.value)
    country = fields.String()
    registration_number = fields.String(allow_none=True)
    verified = fields.Boolean(attribute="is_verified")


class OrganisationBriefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    type = fields.Function(lambda o: o.type.value)
    country = fields.String()


class UserSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    roles = fields.List(fields.String())
    organisation = fields.Nested(OrganisationBriefSchema, allow_none=True)


class RegisteredSchema(Schema):
    organisation = fields.Nested(OrganisationSchema)
    user = fields.Nested(UserSchema)


class TokenRequestSchema(Schema):
    email = fields.String(required=True, validate=validate.Length(min=1, max=EMAIL_MAX))
    password = fields.String(required=True, validate=validate.Length(min=1, max=PASSWORD_MAX))


class TokenSchema(Schema):
    token = fields.String()
    expires_at = fields.AwareDateTime()


class CreateUserSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=EMAIL_MAX))
    name = _text(NAME_MAX, required=True)
    password = fields.String(required=True, validate=validate.Length(min=1, max=PASSWORD_MAX))
    roles = fields.List(fields.String(validate=validate.OneOf([r.value for r in Role])),
                        required=True, validate=validate.Length(min=1, max=len(Role)))
    organisation_id = IdField(load_default=None, allow_none=True)
    donor_id = IdField(load_default=None, allow_none=True)


class MemberInSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=EMAIL_MAX))
    name = _text(NAME_MAX, required=True)
    language = fields.String(load_default=None, validate=validate.OneOf(list(LANGUAGES)), metadata={
        "description": "The colleague's language, one of the six: the invitation is written in it and their "
                       "pages follow it. Default: the invitation in the inviter's language."})


class MemberSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()


class PasswordResetRequestSchema(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=EMAIL_MAX))

