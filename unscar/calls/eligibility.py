"""Who may apply to a call: the rule checked before a proposal is started (the call page,
the web and API services) and again, first, in the proposal's checklist."""
from flask_babel import gettext as _

from ..vocabulary import ORGANISATION_TYPE_PLURALS
from .models import Call
from .wording import join_words

APPLICANT_TYPE_INELIGIBLE = "applicant_type_ineligible"


def applicant_refusal(call: Call, organisation_type) -> dict | None:
    """The problem {"code", "message"} that keeps an organisation of this type from applying,
    naming the rule; None when it may apply.

    The call's countries and regions are the projects' beneficiaries (DESIGN.md "Call"), not
    where the organisation sits, so they are checked on the proposal, not here."""
    kind = getattr(organisation_type, "value", organisation_type)
    if not call.eligible_applicant_types or kind in call.eligible_applicant_types:
        return None
    allowed = join_words([ORGANISATION_TYPE_PLURALS[t] for t in call.eligible_applicant_types])
    if kind in ORGANISATION_TYPE_PLURALS:
        message = _("Eligibility: this call is open to %(allowed)s only, not to %(refused)s.",
                    allowed=allowed, refused=ORGANISATION_TYPE_PLURALS[kind])
    else:
        message = _("Eligibility: this call is open to %(allowed)s only, not to your type of organisation.",
                    allowed=allowed)
    if kind == "government":
        message += " " + _("Governments benefit through an eligible organisation that applies for the project.")
    return {"code": APPLICANT_TYPE_INELIGIBLE, "message": message}
