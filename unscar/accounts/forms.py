"""Web forms of accounts. The rules themselves are in services.py."""
from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import EmailField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, ValidationError

from ..forms import FlaskForm
from ..i18n import LANGUAGES
from ..regions import country_choices as _countries
from ..vocabulary import ORGANISATION_TYPE_LABELS, ROLE_LABELS
from .timezones import timezone_choices
from .schemas import CONTROL_CHARACTERS, EMAIL_MAX, NAME_MAX, PASSWORD_MAX, REGISTRATION_NUMBER_MAX

PASSWORDS_DIFFER = _l("The passwords differ.")


def single_line(_form, field) -> None:
    """A name on one line (it goes into mail headers); see schemas.single_line."""
    if field.data and CONTROL_CHARACTERS.search(field.data):
        raise ValidationError(_("Use one line: no line breaks or control characters."))


def country_choices():
    """Every country by its name in the reader's language."""
    return [("", _("Choose a country"))] + _countries()


def _email_field(label=_l("E-mail address")):
    return EmailField(label, validators=[DataRequired(), Email(check_deliverability=False),
                                         Length(max=EMAIL_MAX)])


def _new_password_field(label=_l("New password")):
    return PasswordField(label, validators=[DataRequired(), Length(max=PASSWORD_MAX)])


class LoginForm(FlaskForm):
    email = _email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)])


class RegisterForm(FlaskForm):
    organisation_name = StringField(_l("Organisation name"),
                                    validators=[DataRequired(), Length(max=NAME_MAX), single_line])
    organisation_type = SelectField(_l("Type of organisation"))
    country = SelectField(_l("Country"), validators=[DataRequired()])
    registration_number = StringField(_l("Legal registration number"),
                                      validators=[Optional(), Length(max=REGISTRATION_NUMBER_MAX), single_line])
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=NAME_MAX), single_line])
    email = _email_field(_l("Your e-mail address"))
    password = _new_password_field(_l("Password"))
    confirm = PasswordField(_l("Repeat the password"), validators=[EqualTo("password", PASSWORDS_DIFFER)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Labels in the reader's language, so made with the form.
        self.organisation_type.choices = list(ORGANISATION_TYPE_LABELS.items())
        self.country.choices = country_choices()


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=PASSWORD_MAX)])
    password = _new_password_field()
    confirm = PasswordField(_l("Repeat the new password"), validators=[EqualTo("password", PASSWORDS_DIFFER)])


class PasswordResetRequestForm(FlaskForm):
    email = _email_field()


class PasswordSetForm(FlaskForm):
    password = _new_password_field()
    confirm = PasswordField(_l("Repeat the new password"), validators=[EqualTo("password", PASSWORDS_DIFFER)])


class InviteForm(FlaskForm):
    name = StringField(_l("Colleague's name"), validators=[DataRequired(), Length(max=NAME_MAX), single_line])
    email = _email_field(_l("Colleague's e-mail address"))
    language = SelectField(_l("Colleague's language"), choices=[(code, name, {"lang": code})
                                                                for code, name in LANGUAGES.items()],
                           description=_l("The invitation is written in it, and their pages follow it until they "
                                          "choose another."))


class CreateUserForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX), single_line])
    email = _email_field()
    password = _new_password_field(_l("Password"))
    roles = SelectMultipleField(_l("Roles"), validators=[DataRequired()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = list(ROLE_LABELS.items())


class ProfileForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=NAME_MAX), single_line])
    language = SelectField(_l("Language"), validators=[Optional()],
                           # Each language named in itself, and marked as such (lang) for screen readers.
                           choices=[("", _l("The browser's language"), {})]
                           + [(code, name, {"lang": code}) for code, name in LANGUAGES.items()],
                           description=_l("Pages and the e-mails you receive are in this language."))
    timezone = SelectField(_l("Time zone"), validators=[Optional()],
                           description=_l("Deadlines are shown in this zone and in UTC. "
                                          "Leave it empty to use your browser's zone."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Grouped by region, one zone per place (timezones.py); the zone already saved stays a choice.
        self.timezone.choices = timezone_choices(self.timezone.data)
