"""The secretariat's forms on the grant page: the tranche schedule, a disbursement (with the
reason needed beyond what is due), suspension and resumption, closure with a refund. The
rules are the services'; the forms read the values."""
from flask_babel import lazy_gettext as _l
from wtforms import DateField, FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..forms import FlaskForm, MoneyInputField
from .disbursements import REASON_MAX

CONDITION_LABELS = {"on_approval": _l("On approval"),
                    "on_interim_acceptance": _l("On acceptance of the interim reports"),
                    "on_date": _l("From a date")}
TRANCHE_ROWS = 4


class TrancheRowForm(Form):
    amount_usd = MoneyInputField(_l("Amount (USD)"), optional=True)
    condition = SelectField(_l("Due"), choices=list(CONDITION_LABELS.items()), default="on_approval")
    date = DateField(_l("Date (for a tranche due from a date)"), validators=[Optional()])


class TrancheScheduleForm(FlaskForm):
    tranches = FieldList(FormField(TrancheRowForm), min_entries=TRANCHE_ROWS, max_entries=20)

    def rows(self) -> list[dict]:
        """The filled rows, as the service takes them."""
        return [{"amount_usd": row.amount_usd.data, "condition": row.condition.data, "date": row.date.data}
                for row in self.tranches if row.amount_usd.data is not None]

    def place_errors(self, error) -> None:
        """The service names `tranches.<i>.<field>` for the filled rows, in order."""
        filled = [row for row in self.tranches if row.amount_usd.data is not None]
        for path, messages in (error.errors or {}).items():
            parts = path.split(".")
            if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(filled):
                field = filled[int(parts[1])].form[parts[2]]
                field.errors = list(field.errors) + list(messages)
            else:
                self.form_errors.extend(messages)


class DisbursementForm(FlaskForm):
    amount_usd = MoneyInputField(_l("Amount (USD)"))
    date = DateField(_l("Paid on"), validators=[DataRequired(_l("Give the date the money was paid."))])
    override_reason = TextAreaField(_l("Reason to pay beyond what is due (optional)"),
                                    validators=[Optional(), Length(max=REASON_MAX)])


class SuspensionForm(FlaskForm):
    status = SelectField(_l("Action"), choices=[("suspended", _l("Suspend the grant")),
                                                ("active", _l("Resume the grant"))])
    reason = StringField(_l("Reason"), validators=[DataRequired(_l("Give the reason.")), Length(max=REASON_MAX)])


class CloseForm(FlaskForm):
    refund_usd = MoneyInputField(_l("Refund received from the grantee (USD)"))
