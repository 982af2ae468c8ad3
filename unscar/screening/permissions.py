"""Who screens: the secretariat decides on submitted proposals and verifies organisations."""
from ..permissions import has_role


def can_screen(user) -> bool:
    return has_role(user, "secretariat")
