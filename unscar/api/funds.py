"""API: the trust fund (API.md "The fund"): donors, contributions and the ledger's figures.

The secretariat writes; the secretariat, admins and donors read. A donor's grants name
the grant by id in the funds part; the API adds each one's agreement number as `reference`.
"""
from flask_babel import gettext as _

from ..errors import NotFound, ValidationFailed
from ..extensions import db
from ..funds import services
from ..funds.permissions import FUND_READERS
from ..grants.services import agreement_numbers
from ..funds.queries import (CONTRIBUTION_ORDER, DONOR_ORDER, get_contribution_or_404, get_donor_or_404,
                             listed_contributions, listed_donors)
from ..funds.schemas import (ContributionInSchema, ContributionListArgsSchema, ContributionPageSchema,
                             ContributionSchema, DonorDetailSchema, DonorInSchema, DonorPageSchema, DonorSchema,
                             FundSchema, ReceiveInSchema)
from ..schemas import PageArgsSchema
from .auth import current_api_user, roles_required
from .blueprint import bp
from .io import load, load_args, paginated
from .openapi import documented


@bp.post("/donors")
@roles_required("secretariat")
@documented("Add a donor", body=DonorInSchema, response=DonorSchema, status=201)
def create_donor():
    data = load(DonorInSchema())
    donor = services.create_donor(current_api_user(), data["name"], data["country"])
    db.session.commit()
    return DonorSchema().dump(donor), 201


@bp.get("/donors")
@roles_required(*FUND_READERS)
@documented("The donors", query=PageArgsSchema, response=DonorPageSchema, description=f"Order: {DONOR_ORDER}.")
def list_donors():
    return paginated(listed_donors(), DonorSchema(), load_args(PageArgsSchema()))


@bp.get("/donors/<int:donor_id>")
@roles_required(*FUND_READERS)
@documented("A donor: what it pledged and gave, and the grants its money went to (fixed when each "
            "approval was recorded)", response=DonorDetailSchema, errors=(404,))
def get_donor(donor_id):
    donor = get_donor_or_404(donor_id)
    summary = services.donor_summary(donor)
    numbers = agreement_numbers(grant["grant_id"] for grant in summary["grants"])
    grants = [{**grant, "reference": numbers.get(grant["grant_id"])} for grant in summary["grants"]]
    fields = {name: getattr(donor, name) for name in ("id", "name", "country", "created_at")}
    return DonorDetailSchema().dump({**fields, **summary, "grants": grants})


@bp.post("/contributions")
@roles_required("secretariat")
@documented("Record a pledge or money received, in any ISO 4217 currency at the USD rate of the day",
            body=ContributionInSchema, response=ContributionSchema, status=201,
            description="An unknown donor_id: 422.")
def create_contribution():
    data = load(ContributionInSchema())
    try:
        donor = get_donor_or_404(data["donor_id"])
    except NotFound:
        raise ValidationFailed(_("No such donor."), errors={"donor_id": [_("No such donor.")]}) from None
    contribution = services.record_contribution(current_api_user(), donor, data["amount"], data["currency"],
                                                data["usd_rate"], data["status"], data["date"], data["earmark"])
    db.session.commit()
    return ContributionSchema().dump(contribution), 201


@bp.post("/contributions/<int:contribution_id>/receive")
@roles_required("secretariat")
@documented("A pledge is received, with its own date and rate (and amount, when it differs); "
            "already received: 409", body=ReceiveInSchema, response=ContributionSchema, errors=(404, 409))
def receive_contribution(contribution_id):
    contribution = get_contribution_or_404(contribution_id)
    data = load(ReceiveInSchema())
    contribution = services.receive_contribution(current_api_user(), contribution, data["date"],
                                                 data["usd_rate"], data["amount"])
    db.session.commit()
    return ContributionSchema().dump(contribution)


@bp.get("/contributions")
@roles_required(*FUND_READERS)
@documented("Contributions, pledged and received", query=ContributionListArgsSchema,
            response=ContributionPageSchema, description=f"Order: {CONTRIBUTION_ORDER}.")
def list_contributions():
    args = load_args(ContributionListArgsSchema())
    return paginated(listed_contributions(args.get("donor_id")), ContributionSchema(), args)


@bp.get("/fund")
@roles_required(*FUND_READERS)
@documented("The fund's ledger figures in USD, each summed from the ledger's entries", response=FundSchema)
def get_fund():
    return FundSchema().dump(services.fund_figures())
