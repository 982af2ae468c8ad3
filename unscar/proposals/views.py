"""Pages of proposals."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ..files import send_stored
from .queries import get_attachment_or_404, get_proposal_or_404, history_for
from .services import current_checks

bp = Blueprint("proposals", __name__, url_prefix="/proposals")


@bp.get("/<int:proposal_id>")
@login_required
def detail(proposal_id):
    proposal = get_proposal_or_404(current_user, proposal_id)
    return render_template("proposals/detail.html", proposal=proposal, checks=current_checks(proposal),
                           history=history_for(current_user, proposal))


@bp.get("/attachments/<int:attachment_id>")
@login_required
def attachment(attachment_id):
    attachment = get_attachment_or_404(current_user, attachment_id)
    return send_stored(attachment.storage_key, attachment.filename, attachment.media_type, attachment.sha256)
