"""The home page: what each role can do next, with the figures and links it came for."""
from flask import Blueprint, render_template
from flask_login import current_user

from ..permissions import has_role
from ..roles import RANKING_ROLES
from .cards import calls_in_review, portfolio_card

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    roles = current_user.roles if current_user.is_authenticated else []
    reviewing, more = calls_in_review() if has_role(current_user, *RANKING_ROLES) else ([], False)
    return render_template("home/index.html", roles=roles, reviewing=reviewing, more_reviewing=more,
                           portfolio=portfolio_card(current_user) if "donor" in roles else None)


@bp.app_template_global()
def menu_calls_in_review() -> list:
    """The calls in review for the menu's panels and rankings (one query, staff and donors only)."""
    return calls_in_review()[0] if has_role(current_user, *RANKING_ROLES) else []
