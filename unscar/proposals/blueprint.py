"""The proposals blueprint, shared by the page modules that register routes on it
(views.py: list, detail, transitions, print; editor.py: sections, budget, attachments)."""
from flask import Blueprint, url_for

from .models import PROPOSAL_STATUS_LABELS
from .permissions import (can_delete_proposal, can_edit_proposal, can_reopen_proposal, can_start_proposal,
                          can_submit_proposal, can_withdraw_proposal, shown_status, start_refusal)
from .queries import own_files

bp = Blueprint("proposals", __name__, url_prefix="/proposals")

# Templates show a button exactly when the service would accept the action.
for _predicate in (can_edit_proposal, can_submit_proposal, can_reopen_proposal, can_withdraw_proposal,
                   can_delete_proposal, can_start_proposal, shown_status, start_refusal):
    bp.add_app_template_global(_predicate)
bp.add_app_template_global(PROPOSAL_STATUS_LABELS, "PROPOSAL_STATUS_LABELS")


@bp.app_template_global()
def plain_files(proposal) -> list[dict]:
    """The proposal's own files under their own names, for its organisation, staff and donors
    (a reviewer's rows come from reviews/blind.py)."""
    return [{"file": file, "label": file.filename, "url": url_for("proposals.attachment", attachment_id=file.id)}
            for file in own_files(proposal)]
