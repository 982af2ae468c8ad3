"""API: grants (API.md "Grants"): the list and each grant's money and life for its
organisation, the donors and the staff (reviewers: 403); the secretariat's tranche
schedule, disbursements, suspension and closure. Report filing and review and revisions
are in their own modules."""
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..dates import utcnow
from ..extensions import db
from ..grants.closure import close_grant
from ..grants.disbursements import disburse
from ..grants.models import Grant
from ..grants.overview import grant_overview, page_figures
from ..grants.permissions import GRANT_READERS, visible_grants
from ..grants.queries import GRANT_ORDER, get_grant_or_404
from ..grants.schemas import (BALANCE, CloseInSchema, DisbursementInSchema, DisbursementSchema, GrantDetailSchema,
                              GrantPageSchema, GrantSchema, GrantStatusInSchema, TranchesInSchema)
from ..grants.status import display_status
from ..grants.suspension import set_suspension
from ..grants.tranches import set_tranches
from ..proposals.models import Proposal
from ..schemas import PageArgsSchema
from .auth import current_api_user, roles_required
from .blueprint import bp
from .io import load, load_args
from .openapi import documented


def _summary(grant: Grant, figures: dict, today) -> dict:
    proposal = grant.proposal
    return {"id": grant.id, "agreement_number": grant.agreement_number, "proposal_id": grant.proposal_id,
            "reference": proposal.reference, "title": proposal.title,
            "organisation": {"id": grant.organisation_id, "name": proposal.organisation.name},
            "start_date": grant.start_date, "end_date": grant.end_date, "closed_at": grant.closed_at,
            "status": display_status(grant, today), **figures}


def _detail(grant: Grant) -> dict:
    today = utcnow().date()
    overview = grant_overview(grant, today)
    figures = {name: overview[name] for name in ("approved_usd", "disbursed_usd", "spent_usd", "refunded_usd",
                                                  "balance_usd", "undisbursed_usd", "due_usd")}
    reports = [{**{name: getattr(report, name) for name in (
        "id", "period_start", "period_end", "due_date", "comment", "submitted_at")},
        "kind": report.kind.value, "stage": report.stage.value, "status": status}
        for report, status in overview["reports"]]
    return GrantDetailSchema().dump({
        **_summary(grant, figures, today), "budget": overview["budget"], "tranches": overview["tranches"],
        "disbursements": grant.disbursements, "reports": reports, "revisions": grant.revisions,
        "closure_refusal": overview["closure_refusal"]})


@bp.get("/grants")
@roles_required(*GRANT_READERS)
@documented("The grants the user may see: its organisation's, or all for donors and staff", query=PageArgsSchema,
            response=GrantPageSchema, description=f"Order: {GRANT_ORDER}. balance_usd: {BALANCE}")
def list_grants():
    args = load_args(PageArgsSchema())
    stmt = visible_grants(current_api_user())
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    grants = db.session.scalars(stmt.options(joinedload(Grant.proposal).joinedload(Proposal.organisation))
                                .order_by(Grant.created_at.desc(), Grant.id.desc())
                                .limit(args["per_page"]).offset((args["page"] - 1) * args["per_page"])).all()
    figures, today = page_figures(grants), utcnow().date()
    items = GrantSchema().dump([_summary(g, figures[g.id], today) for g in grants], many=True)
    return {"items": items, "page": args["page"], "per_page": args["per_page"], "total": total}


@bp.get("/grants/<int:grant_id>")
@roles_required(*GRANT_READERS)
@documented("A grant: its money (from the ledger), budget vs actual per category, tranches, disbursements, "
            "reports and revisions", response=GrantDetailSchema, errors=(404,),
            description=f"balance_usd: {BALANCE} status is the displayed one (closing: past its end date); a "
                        "report's status is overdue when it is due and past its due date.")
def get_grant(grant_id):
    return _detail(get_grant_or_404(current_api_user(), grant_id))


@bp.put("/grants/<int:grant_id>/tranches")
@roles_required("secretariat")
@documented("Replace the tranche schedule; the tranches must make the approved amount (422), and the schedule "
            "is fixed from the first disbursement (409)", body=TranchesInSchema, response=GrantDetailSchema,
            errors=(404, 409))
def put_tranches(grant_id):
    grant = get_grant_or_404(current_api_user(), grant_id)
    data = load(TranchesInSchema())
    set_tranches(current_api_user(), grant, data["tranches"])
    db.session.commit()
    return _detail(get_grant_or_404(current_api_user(), grant_id))


@bp.post("/grants/<int:grant_id>/disbursements")
@roles_required("secretariat")
@documented("Record a disbursement: up to what is due now; beyond it, within the approved amount, only with "
            "override_reason (else 409); beyond the approved amount, or on a grant that is not active or "
            "extended: 409", body=DisbursementInSchema, response=DisbursementSchema, status=201, errors=(404, 409))
def create_disbursement(grant_id):
    grant = get_grant_or_404(current_api_user(), grant_id)
    data = load(DisbursementInSchema())
    disbursement = disburse(current_api_user(), grant, data["amount_usd"], data["date"], data["override_reason"])
    db.session.commit()
    return DisbursementSchema().dump(disbursement), 201


@bp.post("/grants/<int:grant_id>/status")
@roles_required("secretariat")
@documented("Suspend a grant, or resume it (to extended when a no-cost extension was approved); a closed "
            "grant: 409", body=GrantStatusInSchema, response=GrantDetailSchema, errors=(404, 409))
def post_grant_status(grant_id):
    grant = get_grant_or_404(current_api_user(), grant_id)
    data = load(GrantStatusInSchema())
    set_suspension(current_api_user(), grant, data["status"], data["reason"])
    db.session.commit()
    return _detail(get_grant_or_404(current_api_user(), grant_id))


@bp.post("/grants/<int:grant_id>/close")
@roles_required("secretariat")
@documented("Close an active or extended grant: 409 (checked before the refund) unless its final financial and "
            "narrative reports (period ending on the end date) are accepted and no report awaits review; a "
            "refund beyond disbursed − spent: 422. Records the refund and releases the undisbursed commitment",
            body=CloseInSchema, response=GrantDetailSchema, errors=(404, 409))
def post_close(grant_id):
    grant = get_grant_or_404(current_api_user(), grant_id)
    data = load(CloseInSchema())
    close_grant(current_api_user(), grant, data["refund_usd"])
    db.session.commit()
    return _detail(get_grant_or_404(current_api_user(), grant_id))
