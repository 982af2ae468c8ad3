"""API: proposals, their budgets, attachments, checks, submission and screening."""
from flask import request
from flask_babel import gettext as _
from marshmallow import fields
from sqlalchemy.orm import joinedload

from ..calls.queries import get_call_or_404
from ..decisions.queries import decision_of, published_decision
from ..decisions.schemas import DecisionSchema
from ..extensions import db
from ..files import send_stored
from ..proposals import services
from ..proposals.models import Proposal, ProposalStatus
from ..proposals.permissions import REVIEW_OUTCOMES, can_view_proposal, shown_status, visible_proposals
from ..proposals.queries import budget_of, get_attachment_or_404, get_proposal_or_404, history_for, own_files
from ..proposals.schemas import (AnswerInSchema, AttachmentSchema, BudgetInSchema, BudgetSchema, ChecksSchema,
                                 ClarificationSchema, HistorySchema, ProposalDetailSchema, ProposalInSchema,
                                 ProposalListArgsSchema, ProposalSchema, QuestionInSchema, ReasonSchema,
                                 ScreeningInSchema, StatusSchema, SubmittedSchema)
from ..reviews import blind
from ..reviews.permissions import assigned_proposal_ids, is_assigned_to, require_declaration
from ..screening import clarifications
from ..screening import services as screening
from ..screening.queries import get_clarification_or_404
from .auth import current_api_user, roles_required, token_required
from .blueprint import bp
from .io import BadRequest, load, load_args, paginated
from ..schemas import page_schema
from .openapi import documented

LIST_ORDER = "Newest first (by id)."


class PublishedProposalSchema(ProposalDetailSchema):
    """A proposal as the API gives it: with its decision once one is recorded."""

    decision = fields.Nested(DecisionSchema, allow_none=True)


def _detail(proposal: Proposal) -> dict:
    user = current_api_user()
    data = ProposalDetailSchema(exclude=("budget", "history", "attachments")).dump(proposal)
    data["attachments"] = AttachmentSchema(many=True).dump(own_files(proposal))
    data["budget"] = BudgetSchema().dump(budget_of(proposal))
    data["history"] = HistorySchema(many=True).dump(history_for(user, proposal))
    # Published to everyone who sees the proposal, its applicant too, once recorded.
    decision = decision_of(proposal.id)
    data["decision"] = DecisionSchema().dump(published_decision(decision)) if decision else None
    return _as_seen_by(user, proposal, data)


def _as_seen_by(user, proposal: Proposal, item: dict) -> dict:
    """What the caller may know: no review outcome for applicants before the decision, no
    organisation for a blind call's reviewers."""
    item["status"] = shown_status(user, proposal).value
    return blind.anonymise(item, proposal) if blind.sees_anonymised(user, proposal) else item


@bp.post("/calls/<int:call_id>/proposals")
@roles_required("applicant")
@documented("Start a proposal (a draft may be incomplete)", body=ProposalInSchema,
            response=PublishedProposalSchema, status=201, errors=(404, 409),
            description="An organisation whose type the call does not accept: 422 with `problems` "
                        "[{\"code\": \"applicant_type_ineligible\"}]; a language the call does not "
                        "list: 422 naming `language`.")
def create_proposal(call_id):
    call = get_call_or_404(current_api_user(), call_id)
    data = load(ProposalInSchema())
    proposal = services.create_proposal(current_api_user(), call, data)
    db.session.commit()
    return _detail(get_proposal_or_404(current_api_user(), proposal.id)), 201


@bp.get("/proposals")
@token_required
@documented("Proposals the caller may see", query=ProposalListArgsSchema, response=page_schema(ProposalSchema),
            description=f"Paginated. Order: {LIST_ORDER}")
def list_proposals():
    args = load_args(ProposalListArgsSchema())
    stmt = _readable(current_api_user()).order_by(Proposal.id.desc())
    if "call_id" in args:
        stmt = stmt.where(Proposal.call_id == args["call_id"])
    user = current_api_user()
    if "status" in args:
        stmt = _status_filter(stmt, user, ProposalStatus(args["status"]))
    return paginated(stmt.options(joinedload(Proposal.call)), ProposalSchema(), args,
                     adjust=lambda row, item: _as_seen_by(user, row, item))


def _readable(user):
    """The proposals the caller may read: by the proposals part's rule, and a reviewer's
    assigned ones by the reviews part's."""
    return visible_proposals(user, also=Proposal.id.in_(assigned_proposal_ids(user))
                             if user.has_role("reviewer") else None)


def _readable_or_404(user, proposal_id: int):
    """A proposal the caller may read: by the proposals part's rule, or as its reviewer once
    the call's declaration is signed (409 before)."""
    proposal = get_proposal_or_404(user, proposal_id, also_if=is_assigned_to)
    if not can_view_proposal(user, proposal):
        require_declaration(user, proposal.call)
    return proposal


def _status_filter(stmt, user, status: ProposalStatus):
    """Filtering by status tells an applicant no more than the status it is shown."""
    if not (user.has_role("applicant") and user.organisation_id) or user.has_role("secretariat", "admin"):
        return stmt.where(Proposal.status == status)
    own = Proposal.organisation_id == user.organisation_id
    if status == ProposalStatus.under_review:
        return stmt.where(Proposal.status.in_((status, *REVIEW_OUTCOMES)) & own
                          | (Proposal.status == status) & ~own)
    if status in REVIEW_OUTCOMES:
        return stmt.where((Proposal.status == status) & ~own)
    return stmt.where(Proposal.status == status)


@bp.get("/proposals/<int:proposal_id>")
@token_required
@documented("A proposal with its budget, regions, status, history and, once recorded, its decision; a "
            "reviewer reads it once the call's declaration is signed (409 before)",
            response=PublishedProposalSchema, errors=(404, 409))
def get_proposal(proposal_id):
    return _detail(_readable_or_404(current_api_user(), proposal_id))


@bp.patch("/proposals/<int:proposal_id>")
@roles_required("applicant")
@documented("Change a draft", body=ProposalInSchema, response=PublishedProposalSchema, errors=(404, 409))
def update_proposal(proposal_id):
    proposal = get_proposal_or_404(current_api_user(), proposal_id)
    data = load(ProposalInSchema())
    services.update_proposal(current_api_user(), proposal, data)
    db.session.commit()
    return _detail(get_proposal_or_404(current_api_user(), proposal_id))


@bp.delete("/proposals/<int:proposal_id>")
@roles_required("applicant")
@documented("Delete a draft (kept hidden, audited)", status=204, errors=(404, 409))
def delete_proposal(proposal_id):
    services.delete_proposal(current_api_user(), get_proposal_or_404(current_api_user(), proposal_id))
    db.session.commit()
    return "", 204


@bp.put("/proposals/<int:proposal_id>/budget")
@roles_required("applicant")
@documented("Replace the budget; amounts are computed on the server", body=BudgetInSchema,
            response=BudgetSchema, errors=(404, 409))
def replace_budget(proposal_id):
    proposal = get_proposal_or_404(current_api_user(), proposal_id)
    data = load(BudgetInSchema())
    services.replace_budget(current_api_user(), proposal, data["lines"])
    db.session.commit()
    return BudgetSchema().dump(budget_of(get_proposal_or_404(current_api_user(), proposal_id)))


def _uploaded_file():
    file = request.files.get("file")
    if file is None:
        raise BadRequest(_("Send the file as multipart/form-data in the field `file`."))
    return file.filename or "file", file.read()


def _attached(add, target, filename: str, data: bytes):
    """201 with a new attachment; 200 with the first one when these bytes are already
    attached there, so that a repeated upload (a retry, a double-click) changes nothing."""
    try:
        attachment = add(current_api_user(), target, filename, data)
    except services.AlreadyAttached as repeat:
        db.session.rollback()
        return AttachmentSchema().dump(repeat.attachment), 200
    db.session.commit()
    return AttachmentSchema().dump(attachment), 201


@bp.post("/proposals/<int:proposal_id>/attachments")
@roles_required("applicant")
@documented("Attach a PDF, DOCX, XLSX, PNG or JPEG file", multipart_file=True, response=AttachmentSchema,
            status=201, errors=(404, 409, 413, 422, 429), repeat_status=200,
            description="A file whose bytes (SHA-256) are already attached to the proposal is not attached "
            "again: the answer is 200 with the attachment already there.")
def add_attachment(proposal_id):
    proposal = get_proposal_or_404(current_api_user(), proposal_id)
    filename, data = _uploaded_file()
    return _attached(services.add_attachment, proposal, filename, data)


@bp.get("/attachments/<int:attachment_id>")
@token_required
@documented("The file's bytes, with its original name; for a blind call's reviewer a neutral name and no "
            "document metadata (409 before the call's declaration)", content_type="application/octet-stream",
            errors=(404, 409))
def download_attachment(attachment_id):
    user = current_api_user()
    attachment = get_attachment_or_404(user, attachment_id, also_if=is_assigned_to)
    proposal = _readable_or_404(user, attachment.proposal_id)
    if not can_view_proposal(user, proposal):
        # A reviewer: only the proposal's own files, as blind review gives them.
        return blind.send_to_reviewer(proposal, attachment.id, blind.sees_anonymised(user, proposal))
    return send_stored(attachment.storage_key, attachment.filename, attachment.media_type, attachment.sha256)


@bp.delete("/attachments/<int:attachment_id>")
@roles_required("applicant")
@documented("Delete a draft's attachment", status=204, errors=(404, 409))
def delete_attachment(attachment_id):
    attachment = get_attachment_or_404(current_api_user(), attachment_id)
    services.delete_attachment(current_api_user(), attachment)
    db.session.commit()
    return "", 204


@bp.get("/proposals/<int:proposal_id>/checks")
@roles_required("applicant", "secretariat", "admin")
@documented("What blocks submission: live for drafts, the submission snapshot afterwards", response=ChecksSchema,
            errors=(404,))
def proposal_checks(proposal_id):
    proposal = get_proposal_or_404(current_api_user(), proposal_id)
    return ChecksSchema().dump(services.current_checks(proposal))


@bp.post("/proposals/<int:proposal_id>/submit")
@roles_required("applicant")
@documented("Submit a draft (idempotent)", response=SubmittedSchema, errors=(404, 409, 422))
def submit_proposal(proposal_id):
    proposal = get_proposal_or_404(current_api_user(), proposal_id)
    services.submit_proposal(current_api_user(), proposal)
    db.session.commit()
    return SubmittedSchema().dump(proposal)


@bp.post("/proposals/<int:proposal_id>/reopen")
@roles_required("applicant")
@documented("Back to draft, before the deadline", response=StatusSchema, errors=(404, 409))
def reopen_proposal(proposal_id):
    proposal = get_proposal_or_404(current_api_user(), proposal_id)
    services.reopen_proposal(current_api_user(), proposal)
    db.session.commit()
    return StatusSchema().dump(proposal)


@bp.post("/proposals/<int:proposal_id>/withdraw")
@roles_required("applicant")
@documented("Withdraw a submitted or under-review proposal", response=StatusSchema, errors=(404, 409))
def withdraw_proposal(proposal_id):
    proposal = get_proposal_or_404(current_api_user(), proposal_id)
    # The reason is optional, and so is the body.
    data = load(ReasonSchema()) if request.get_data() else {"reason": None}
    services.withdraw_proposal(current_api_user(), proposal, data["reason"])
    db.session.commit()
    return StatusSchema().dump(proposal)


@bp.post("/proposals/<int:proposal_id>/screening")
@roles_required("secretariat")
@documented("Screen a submitted proposal; the applicant is told", body=ScreeningInSchema, response=StatusSchema,
            errors=(404, 409, 422))
def screen_proposal(proposal_id):
    proposal = get_proposal_or_404(current_api_user(), proposal_id)
    data = load(ScreeningInSchema())
    # API.md's call has no confirmation field: a client screening out over an open question
    # decides knowingly (the web form asks first).
    screening.screen_proposal(current_api_user(), proposal, data["decision"], data["reason"],
                              confirm_open_questions=True)
    db.session.commit()
    return StatusSchema().dump(proposal)


@bp.post("/proposals/<int:proposal_id>/clarifications")
@roles_required("secretariat")
@documented("Ask the applicant a question", body=QuestionInSchema, response=ClarificationSchema, status=201,
            errors=(404, 409))
def ask_clarification(proposal_id):
    proposal = get_proposal_or_404(current_api_user(), proposal_id)
    data = load(QuestionInSchema())
    clarification = clarifications.ask_clarification(current_api_user(), proposal, data["question"])
    db.session.commit()
    return ClarificationSchema().dump(get_clarification_or_404(current_api_user(), clarification.id)), 201


@bp.post("/clarifications/<int:clarification_id>/answer")
@roles_required("applicant")
@documented("Answer a question", body=AnswerInSchema, response=ClarificationSchema, errors=(404, 409))
def answer_clarification(clarification_id):
    clarification = get_clarification_or_404(current_api_user(), clarification_id)
    data = load(AnswerInSchema())
    clarifications.answer_clarification(current_api_user(), clarification, data["answer"])
    db.session.commit()
    return ClarificationSchema().dump(get_clarification_or_404(current_api_user(), clarification_id))


@bp.post("/clarifications/<int:clarification_id>/attachments")
@roles_required("applicant")
@documented("Attach a file to an answer", multipart_file=True, response=AttachmentSchema, status=201,
            errors=(404, 409, 413, 422, 429), repeat_status=200,
            description="A file whose bytes (SHA-256) are already attached to this answer is not attached "
            "again: the answer is 200 with the attachment already there.")
def add_clarification_file(clarification_id):
    clarification = get_clarification_or_404(current_api_user(), clarification_id)
    filename, data = _uploaded_file()
    return _attached(clarifications.add_clarification_file, clarification, filename, data)
