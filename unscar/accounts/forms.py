"""Web forms of accounts. The rules themselves are in services.py."""
import pycountry
from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from ..forms import FlaskForm
from ..i18n import LANGUAGES
from ..vocabulary import ORGANISATION_TYPE_LABELS, ROLE_LABELS
from .timezones import timezone_choices
from .schemas import (CONTROL_CHARACTERS, EMAIL_MAX, NAME_MAX, PASSWORD_MAX, REGISTRATION_NUMBER_MAX,
                      SINGLE_LINE_MESSAGE)


def single_line(_form, field) -> None:
    """A name on one line (it goes into mail headers); see schemas.single_line."""
    if field.data and CONTROL_CHARACTERS.search(field.data):
        raise ValidationError(SINGLE_LINE_MESSAGE)


def country_choices():
    return [("", "Choose a country")] + sorted(
        ((c.alpha_3, c.name) for c in pycountry.countries), key=lambda item: item[1])


def _email_field(label="E-mail address"):
    return EmailField(label, validators=[DataRequired(), Email(check_deliverability=False),
                                         Length(max=EMAIL_MAX)])


def _new_password_field(label="New password"):
    return PasswordField(label, validators=[DataRequired(), Length(max=PASSWORD_MAX)])


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField("Password", validators=[DataRequired(), Length(max=PASSWORD_MAX)])


class RegisterForm(FlaskForm):
    organisation_name = StringField("Organisation name",
                                    validators=[DataRequired(), Length(max=NAME_MAX), single_line])
    organisation_type = SelectField("Type of organisation", choices=list(ORGANISATION_TYPE_LABELS.items()))
    country = SelectField("Country", validators=[DataRequired()])
    registration_number = StringField("Legal registration number",
                                      validators=[Optional(), Length(max=REGISTRATION_NUMBER_MAX), single_line])
    name = StringField("Your name", validators=[DataRequired(), Length(max=NAME_MAX), single_line])
    email = _email_field("Your e-mail address")
    password = _new_password_field("Password")
    confirm = PasswordField("Repeat the password", validators=[EqualTo("password", "The passwords differ.")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.country.choices = country_choices()


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired(), Length(max=PASSWORD_MAX)])
    password = _new_password_field()
    confirm = PasswordField("Repeat the new password", validators=[EqualTo("password", "The passwords differ.")])


class PasswordResetRequestForm(FlaskForm):
    email = _email_field()


class PasswordSetForm(FlaskForm):
    password = _new_password_field()
    confirm = PasswordField("Repeat the new password", validators=[EqualTo("password", "The passwords differ.")])


class InviteForm(FlaskForm):
    name = StringField("Colleague's name", validators=[DataRequired(), Length(max=NAME_MAX), single_line])
    email = _email_field("Colleague's e-mail address")


class CreateUserForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=NAME_MAX), single_line])
    email = _email_field()
    password = _new_password_field("Password")
    roles = SelectMultipleField("Roles", choices=list(ROLE_LABELS.items()), validators=[DataRequired()])


class ProfileForm(FlaskForm):
    name = StringField("Name", validators=[DataRequired(), Length(max=NAME_MAX), single_line])
    language = SelectField(_l("Language"), validators=[Optional()],
                           choices=[("", _l("The browser's language"))] + list(LANGUAGES.items()),
                           description=_l("Pages and the e-mails you receive are in this language."))
    timezone = SelectField("Time zone", validators=[Optional()],
                           description="Deadlines are shown in this zone and in UTC. "
                                       "Leave it empty to use your browser's zone.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Grouped by region, one zone per place (timezones.py); the zone already saved stays a choice.
        self.timezone.choices = timezone_choices(self.timezone.data)
