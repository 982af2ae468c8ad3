"""Files of a filed report (supporting documents, photographs), under the rules of proposal
attachments: PDF, DOCX, XLSX, PNG or JPEG judged by their bytes, the upload limit, stored
outside static/ and served only to who may read the report."""
from flask_babel import gettext as _
from sqlalchemy import select

from ..audit.services import record_event
from ..errors import InvalidTransition
from ..extensions import db
from ..locking import lock_one
from ..proposals.services import AlreadyAttached
from ..uploads import check_upload, store_upload
from .labels import status_label
from .models import Report, ReportAttachment, ReportStatus
from .reports import require_grantee, require_open

# A report takes files once filed, while it awaits review or is being corrected.
ATTACHABLE = (ReportStatus.submitted, ReportStatus.returned)


def add_report_attachment(actor, report: Report, filename: str, data: bytes) -> ReportAttachment:
    """Attach a checked file to the grantee's filed report; the same bytes twice raise
    AlreadyAttached (the API answers with the first copy)."""
    require_grantee(actor, report.grant)
    require_open(report.grant)
    locked = lock_one(select(Report).where(Report.id == report.id))
    if locked.status not in ATTACHABLE:
        raise InvalidTransition(_("Files go with a filed report awaiting review or being corrected; this one is "
                                  "%(status)s.", status=status_label(locked.status.value, "report")))
    checked = check_upload(filename, data)
    existing = db.session.scalars(select(ReportAttachment).where(
        ReportAttachment.report_id == report.id, ReportAttachment.sha256 == checked.sha256)).first()
    if existing is not None:
        raise AlreadyAttached(existing)
    attachment = ReportAttachment(report=report, uploaded_by_id=actor.id, **store_upload(checked))
    db.session.add(attachment)
    db.session.flush()
    record_event(actor, "report.file_added", attachment, after={"report_id": report.id,
                                                                 "filename": attachment.filename,
                                                                 "sha256": attachment.sha256})
    return attachment
