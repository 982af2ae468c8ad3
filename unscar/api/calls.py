"""API: calls for proposals (API.md "Calls for proposals") and their templates."""
from flask import request
from flask_babel import gettext as _

from .. import files
from ..calls import services
from ..calls.queries import LISTING_ORDER, get_call_or_404, get_template_or_404, listed_calls, with_details
from ..calls.schemas import (CallInSchema, CallListArgsSchema, CallPageSchema, CallSchema, StatusChangeSchema,
                             TemplateSchema)
from ..errors import ValidationFailed
from ..extensions import db
from .auth import current_api_user, optional_api_user, roles_required
from .blueprint import bp
from .io import load, load_args, paginated
from .openapi import documented


@bp.get("/calls")
@documented("Calls for proposals", query=CallListArgsSchema, response=CallPageSchema,
            errors=(401,), description="Anonymous callers get the open calls unless `status` asks for "
            "another state; signed-in users get every call they may see (drafts only for the "
            f"secretariat and admins). Order: {LISTING_ORDER}")
def list_calls():
    user = optional_api_user()
    args = load_args(CallListArgsSchema())
    stmt = listed_calls(user, args.get("status"), only_open_by_default=user is None)
    return paginated(with_details(stmt), CallSchema(), args)


@bp.get("/calls/<int:call_id>")
@documented("A call with its criteria and templates", response=CallSchema, errors=(401, 404))
def get_call(call_id):
    return CallSchema().dump(get_call_or_404(optional_api_user(), call_id))


@bp.post("/calls")
@roles_required("secretariat")
@documented("Create a draft call with its criteria", body=CallInSchema, response=CallSchema, status=201)
def create_call():
    data = load(CallInSchema())
    call = services.create_call(current_api_user(), data)
    db.session.commit()
    return CallSchema().dump(call), 201


@bp.patch("/calls/<int:call_id>")
@roles_required("secretariat")
@documented("Edit a call: any field while draft; from open on only closes_at (an extension), "
            "review_closes_at, envelope_usd, description and guidelines", body=CallInSchema,
            response=CallSchema, errors=(404, 409))
def update_call(call_id):
    call = get_call_or_404(current_api_user(), call_id)
    data = load(CallInSchema(), partial=True)
    call = services.update_call(current_api_user(), call, data)
    db.session.commit()
    return CallSchema().dump(call)


@bp.post("/calls/<int:call_id>/status")
@roles_required("secretariat")
@documented("Move a call to its next state (DESIGN.md's transitions); 409 says why not",
            body=StatusChangeSchema, response=CallSchema, errors=(404, 409))
def change_call_status(call_id):
    call = get_call_or_404(current_api_user(), call_id)
    data = load(StatusChangeSchema())
    call = services.change_status(current_api_user(), call, data["status"])
    db.session.commit()
    return CallSchema().dump(call)


@bp.post("/calls/<int:call_id>/templates")
@roles_required("secretariat")
@documented("Attach a downloadable template (PDF, DOCX or XLSX, judged by its bytes)", multipart_file=True,
            response=TemplateSchema, status=201, errors=(404, 409, 413, 422))
def add_call_template(call_id):
    call = get_call_or_404(current_api_user(), call_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationFailed(_("Send the file as multipart field `file`."), errors={"file": [_("Missing file.")]})
    template = services.add_template(current_api_user(), call, upload.filename, upload.read())
    db.session.commit()
    return TemplateSchema().dump(template), 201


@bp.delete("/calls/<int:call_id>/templates/<int:template_id>")
@roles_required("secretariat")
@documented("Remove a template", status=204, errors=(404, 409))
def delete_call_template(call_id, template_id):
    template = get_template_or_404(current_api_user(), call_id, template_id)
    services.delete_template(current_api_user(), template)
    db.session.commit()
    return "", 204


@bp.get("/calls/<int:call_id>/templates/<int:template_id>")
@documented("Download a template, with its original name in Content-Disposition",
            content_type="application/octet-stream", errors=(401, 404))
def download_call_template(call_id, template_id):
    template = get_template_or_404(optional_api_user(), call_id, template_id)
    return files.send_stored(template.storage_key, template.filename, template.media_type, template.sha256)

