"""The grants pages: each organisation's grants from the moment its proposal is approved
(the life of a grant, tranches and reports, comes with issue 13). The blueprint also lends
the templates of parts below it the agreement numbers they know only by id."""
from flask import render_template
from flask_login import current_user
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..permissions import role_required
from .models import Grant
from .blueprint import bp
from .permissions import GRANT_READERS, visible_grants

PER_PAGE = 50


@bp.get("/")
@role_required(*GRANT_READERS)
def index():
    """The grants the user may see, newest first: two queries whatever the page holds."""
    stmt = (visible_grants(current_user).options(joinedload(Grant.proposal))
            .order_by(Grant.created_at.desc(), Grant.id.desc()))
    page = db.paginate(stmt, per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)
    return render_template("grants/index.html", page=page)
