"""The proposals blueprint, shared by the page modules that register routes on it
(views.py: list, detail, transitions, print; editor.py: sections, budget, attachments)."""
from flask import Blueprint

bp = Blueprint("proposals", __name__, url_prefix="/proposals")
