"""Loading what the decision pages and the API show, visible-or-404."""
from ..calls.queries import get_call_or_404
from ..errors import NotFound
from .permissions import can_view_ranking


def get_ranked_call_or_404(user, call_id: int):
    """A call whose ranking and recommendation `user` may read (DESIGN.md: donors only for
    calls in review or later); 404 otherwise, so nobody learns what a call holds."""
    call = get_call_or_404(user, call_id)
    if not can_view_ranking(user, call):
        raise NotFound("No ranking for this call.")
    return call
