"""The grants blueprint. Its pages come with the life of a grant (issue 13); today it lends
the templates of parts below it the agreement numbers they know only by id."""
from flask import Blueprint

from .services import agreement_numbers

bp = Blueprint("grants", __name__, url_prefix="/grants")
bp.add_app_template_global(agreement_numbers)
