"""API: reviewer profiles, panels, declarations, assignments and reviews."""
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import User
from ..calls.queries import get_call_or_404
from ..errors import NotFound
from ..extensions import db
from ..reviews import assigning, panels, services
from ..reviews.models import Assignment, AssignmentStatus
from ..reviews.schemas import (AssignmentInSchema, AssignmentListArgsSchema, AssignmentSchema, AutoAssignedSchema,
                               AutoAssignInSchema, DeclarationInSchema, DeclarationSchema, PanelInSchema, PanelSchema,
                               ProfileInSchema, ProfileSchema, ReasonInSchema, ReviewInSchema, ReviewSchema)
from .auth import current_api_user, roles_required
from .blueprint import bp
from .io import load, load_args, paginated
from ..schemas import page_schema
from .openapi import documented


@bp.put("/reviewers/<int:user_id>/profile")
@roles_required("secretariat", "admin", "reviewer")
@documented("A reviewer's expertise, languages and links to organisations", body=ProfileInSchema,
            response=ProfileSchema, errors=(404,))
def save_profile(user_id):
    actor = current_api_user()
    reviewer = db.session.get(User, user_id)
    if reviewer is None or not (actor.has_role("secretariat", "admin") or actor.id == user_id):
        raise NotFound(_("No such reviewer."))
    data = load(ProfileInSchema())
    profile = panels.save_profile(actor, reviewer, data["themes"], data["regions"], data["languages"], data["links"])
    db.session.commit()
    return ProfileSchema().dump(profile)


@bp.put("/calls/<int:call_id>/panel")
@roles_required("secretariat")
@documented("The call's review panel", body=PanelInSchema, response=PanelSchema, errors=(404,))
def set_panel(call_id):
    call = get_call_or_404(current_api_user(), call_id)
    data = load(PanelInSchema())
    ids = panels.set_panel(current_api_user(), call, data["reviewer_ids"])
    db.session.commit()
    return {"call_id": call.id, "reviewer_ids": ids}


@bp.post("/calls/<int:call_id>/declaration")
@roles_required("reviewer")
@documented("Sign the call's confidentiality and conflict-of-interest declaration", body=DeclarationInSchema,
            response=DeclarationSchema, status=201, errors=(404, 409))
def sign_declaration(call_id):
    call = get_call_or_404(current_api_user(), call_id)
    load(DeclarationInSchema())
    declaration = panels.sign_declaration(current_api_user(), call)
    db.session.commit()
    return DeclarationSchema().dump(declaration), 201


@bp.post("/calls/<int:call_id>/assignments")
@roles_required("secretariat")
@documented("Assign a reviewer to a proposal by hand", body=AssignmentInSchema, response=AssignmentSchema,
            status=201, errors=(404, 409))
def create_assignment(call_id):
    call = get_call_or_404(current_api_user(), call_id)
    data = load(AssignmentInSchema())
    assignment = assigning.assign_reviewer(current_api_user(), call, data["reviewer_id"], data["proposal_id"])
    db.session.commit()
    return AssignmentSchema().dump(assignment), 201


@bp.post("/calls/<int:call_id>/assignments/auto")
@roles_required("secretariat")
@documented("Assign reviewers to every proposal under review, maximising expertise match",
            body=AutoAssignInSchema, response=AutoAssignedSchema, errors=(404,))
def auto_assign(call_id):
    call = get_call_or_404(current_api_user(), call_id)
    data = load(AutoAssignInSchema())
    created, short = assigning.auto_assign(current_api_user(), call, data["reviewer_ids"],
                                           data["reviewers_per_proposal"])
    # Written before the commit, which expires the new assignments: reading them after
    # would reload each with a query of its own (thousands for a large call).
    body = AutoAssignedSchema().dump({"created": len(created), "assignments": created,
                                      "short": [{"proposal_id": p, "missing": m} for p, m in short]})
    db.session.commit()
    return body


@bp.get("/assignments")
@roles_required("reviewer")
@documented("The caller's own assignments, newest first", query=AssignmentListArgsSchema,
            response=page_schema(AssignmentSchema))
def list_assignments():
    args = load_args(AssignmentListArgsSchema())
    stmt = select(Assignment).where(Assignment.reviewer_id == current_api_user().id).order_by(Assignment.id.desc())
    if "status" in args:
        stmt = stmt.where(Assignment.status == AssignmentStatus(args["status"]))
    if "call_id" in args:
        stmt = stmt.where(Assignment.call_id == args["call_id"])
    return paginated(stmt, AssignmentSchema(), args)


def _own_active(assignment_id: int) -> Assignment:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.reviewer_id != current_api_user().id \
            or assignment.status != AssignmentStatus.active:
        raise NotFound(_("No such assignment."))
    return assignment


@bp.post("/assignments/<int:assignment_id>/conflict")
@roles_required("reviewer")
@documented("Declare a conflict of interest; access ends at once", body=ReasonInSchema, response=AssignmentSchema,
            errors=(404,))
def declare_conflict(assignment_id):
    assignment = _own_active(assignment_id)
    data = load(ReasonInSchema())
    assigning.declare_conflict(current_api_user(), assignment, data["reason"])
    db.session.commit()
    return AssignmentSchema().dump(assignment)


@bp.post("/assignments/<int:assignment_id>/decline")
@roles_required("reviewer")
@documented("Decline an assignment", body=ReasonInSchema, response=AssignmentSchema, errors=(404, 409))
def decline_assignment(assignment_id):
    assignment = _own_active(assignment_id)
    data = load(ReasonInSchema())
    assigning.decline_assignment(current_api_user(), assignment, data["reason"])
    db.session.commit()
    return AssignmentSchema().dump(assignment)


@bp.put("/assignments/<int:assignment_id>/review")
@roles_required("reviewer")
@documented("Save or submit the review: scores keyed by criterion id", body=ReviewInSchema,
            response=ReviewSchema, errors=(404, 409))
def save_review(assignment_id):
    assignment = _own_active(assignment_id)
    data = load(ReviewInSchema())
    review = services.save_review(current_api_user(), assignment, {int(k): v for k, v in data["scores"].items()},
                                  {int(k): v for k, v in data["comments"].items()}, data["comment"],
                                  data["recommendation"], data["submit"])
    db.session.commit()
    return ReviewSchema().dump(review)


@bp.post("/assignments/<int:assignment_id>/review/return")
@roles_required("secretariat")
@documented("Return a submitted review to its reviewer", body=ReasonInSchema, response=ReviewSchema,
            errors=(404, 409))
def return_review(assignment_id):
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound(_("No such assignment."))
    data = load(ReasonInSchema())
    review = services.return_review(current_api_user(), assignment, data["reason"])
    db.session.commit()
    return ReviewSchema().dump(review)


@bp.post("/assignments/<int:assignment_id>/remove")
@roles_required("secretariat")
@documented("Remove an active assignment, with a reason (audited); a review it held no longer counts",
            body=ReasonInSchema, response=AssignmentSchema, errors=(404, 409))
def remove_assignment(assignment_id):
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        raise NotFound(_("No such assignment."))
    data = load(ReasonInSchema())
    assigning.remove_assignment(current_api_user(), assignment, data["reason"])
    db.session.commit()
    return AssignmentSchema().dump(assignment)
