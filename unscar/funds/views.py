"""The fund's pages, for the secretariat and the donors: the dashboard (the ledger's figures,
contributions by donor, the fund over time, each chart also as a table) and the donors'
pages (pledges, receipts and the grants each donor's money went to)."""
from flask import Blueprint, render_template

from ..charts import chart_response, version_key
from ..extensions import db
from ..permissions import role_required
from . import charts, queries, services
from .permissions import FUND_READERS, can_manage_fund

bp = Blueprint("funds", __name__, url_prefix="/funds")
bp.add_app_template_global(can_manage_fund)


@bp.get("/")
@role_required(*FUND_READERS)
def index():
    return render_template("funds/index.html", figures=services.fund_figures(),
                           donors=queries.received_by_donor(), flows=queries.yearly_flows())


@bp.get("/donors.png")
@role_required(*FUND_READERS)
def donors_chart():
    frame = charts.donors_frame(queries.received_by_donor())
    return chart_response("fund-donors-2", version_key(frame), lambda: charts.donors_chart(frame))


@bp.get("/flows.png")
@role_required(*FUND_READERS)
def flows_chart():
    frame = charts.flows_frame(queries.yearly_flows())
    return chart_response("fund-flows-2", version_key(frame), lambda: charts.flows_chart(frame))


@bp.get("/donors/")
@role_required(*FUND_READERS)
def donors():
    page = db.paginate(queries.listed_donors(), per_page=50, max_per_page=50, error_out=False)
    return render_template("funds/donors.html", page=page)


@bp.get("/donors/<int:donor_id>")
@role_required(*FUND_READERS)
def donor(donor_id):
    donor = queries.get_donor_or_404(donor_id)
    return render_template("funds/donor.html", donor=donor, summary=services.donor_summary(donor))
