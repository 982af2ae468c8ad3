"""The home page: what each role can do next."""
from flask import Blueprint, render_template
from flask_login import current_user

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    roles = current_user.roles if current_user.is_authenticated else []
    return render_template("home/index.html", roles=roles)
