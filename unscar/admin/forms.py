"""Forms of the user administration pages. The rules are the accounts part's services
(accounts/admin.py), which the API calls too."""
from flask_babel import gettext as _, lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import AnyOf, Length, Optional

from ..accounts.schemas import EMAIL_MAX
from ..forms import FlaskForm, MultiCheckboxField
from ..vocabulary import ROLE_LABELS

ACTIVE_CHOICES = [("", _l("Active or not")), ("yes", _l("Active")), ("no", _l("Deactivated"))]


class UserFilterForm(FlaskForm):
    """The list's search; a GET form, so no CSRF token (it changes nothing)."""

    class Meta:
        csrf = False

    q = StringField(_l("Name or e-mail"), validators=[Optional(), Length(max=EMAIL_MAX)])
    role = SelectField(_l("Role"), validators=[Optional()])
    active = SelectField(_l("Account"), choices=ACTIVE_CHOICES, validators=[Optional()])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [("", _("Any role"))] + list(ROLE_LABELS.items())

    def filters(self) -> dict:
        """The service's arguments; a value the form refused filters nothing."""
        self.validate()

        def kept(field):
            return None if field.errors else field.data

        return {"q": (kept(self.q) or "").strip() or None, "role": kept(self.role) or None,
                "active": {"yes": True, "no": False}.get(kept(self.active))}


class RolesForm(FlaskForm):
    roles = MultiCheckboxField(_l("Roles"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.roles.choices = list(ROLE_LABELS.items())


class ActiveForm(FlaskForm):
    """Deactivate ("0") or reactivate ("1") the account: one button, the value hidden."""

    active = HiddenField(validators=[AnyOf(["0", "1"])])


class ResetForm(FlaskForm):
    """Only the CSRF token: the link goes to the user's address, never to the page."""
