"""Who sees rankings and recommendations and who computes and adopts them (DESIGN.md:
donors see them, never reviewer identities, draft reviews or review texts)."""
from ..calls.models import CallStatus
from ..permissions import has_role
from ..roles import STAFF_ROLES
from .services import adoption_refusal


def can_view_ranking(user, call) -> bool:
    """Staff see any call's ranking; donors those of calls in review or later."""
    if has_role(user, *STAFF_ROLES):
        return True
    return has_role(user, "donor") and call.status in (CallStatus.in_review, CallStatus.decided,
                                                        CallStatus.archived)


def can_view_review_scores(user) -> bool:
    """Each review's own figures, numbered without names: staff only, never donors."""
    return has_role(user, *STAFF_ROLES)


def can_compute_recommendation(user) -> bool:
    return has_role(user, "secretariat")


def can_adopt_recommendation(user, stored) -> bool:
    """adopt_recommendation's refusals: the secretariat, and services.adoption_refusal (the
    call in review, the latest recommendation, not adopted yet, every review in)."""
    return stored is not None and has_role(user, "secretariat") and adoption_refusal(stored) is None


def can_endorse(user, stored) -> bool:
    """Donors endorse an adopted recommendation (once; a repeat shows the first)."""
    return stored is not None and stored.adopted_at is not None and has_role(user, "donor")


def can_record_decision(user) -> bool:
    return has_role(user, "secretariat")
