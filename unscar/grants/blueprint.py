"""The grants blueprint, shared by views.py (the grants list and each grant's page, the one
place that shows a grant: money, budget, tranches, reports, revisions, history),
report_views.py (financial and narrative reports, the secretariat's work list) and
revision_views.py (budget revisions and no-cost extensions). It also lends the templates
of parts below it the agreement numbers they know only by id."""
from flask import Blueprint

from .labels import report_name, report_title, status_label
from .permissions import can_manage_grant
from .report_permissions import can_file_reports, can_request_revision, can_review_reports, can_view_revisions
from .services import agreement_numbers
from .status import display_status

bp = Blueprint("grants", __name__, url_prefix="/grants")
# Templates show a button exactly when the service would accept the action.
for _helper in (agreement_numbers, can_file_reports, can_manage_grant, can_review_reports, can_request_revision,
                can_view_revisions):
    bp.add_app_template_global(_helper)
# Pages and e-mails name statuses and reports in the reader's language (labels.py).
for _helper in (report_name, report_title, status_label):
    bp.add_app_template_global(_helper)
# Pages show a grant's status as the API does: `closing` once its end date has passed.
bp.add_app_template_global(display_status, "grant_status")
