"""An organisation's registration documents and the secretariat's verification of it.

Members upload the documents (judged by their bytes, like proposal attachments); the
organisation's members and the secretariat may download them, nobody else learns they
exist. Verifying sets Organisation.verified_at; withdrawing clears it; both audited.
"""
from datetime import datetime

from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import ForeignKey, select
from sqlalchemy.orm import Mapped, mapped_column

from ..audit.services import record_event
from ..dates import UTCDateTime, utcnow
from ..errors import NotFound, PermissionDenied
from ..extensions import db
from ..files import StoredFile
from ..forms import FlaskForm
from ..permissions import has_role
from ..roles import STAFF_ROLES
from ..uploads import accept_upload
from .models import Organisation


class OrganisationDocument(StoredFile, db.Model):
    """A registration document (certificate, statutes, audited accounts); bytes under UPLOAD_FOLDER."""

    __tablename__ = "organisation_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class DocumentUploadForm(FlaskForm):
    file = FileField(_l("Registration document (PDF, Word, Excel, PNG or JPEG)"),
                     validators=[FileRequired(_l("Choose a file."))])


# --- permissions ------------------------------------------------------------------------

def is_member(user, organisation_id: int) -> bool:
    return has_role(user, "applicant") and user.organisation_id == organisation_id


def can_view_documents(user, organisation_id: int) -> bool:
    """The organisation's members and the secretariat (admins included); nobody else."""
    return has_role(user, *STAFF_ROLES) or is_member(user, organisation_id)


def can_verify_organisation(user) -> bool:
    return has_role(user, "secretariat")


# --- queries --------------------------------------------------------------------------

def documents_of(organisation_ids) -> dict[int, list[OrganisationDocument]]:
    """Each organisation's documents, oldest first, in one query (for list pages)."""
    ids = set(organisation_ids)
    found = {org_id: [] for org_id in ids}
    if not ids:
        return found
    stmt = (select(OrganisationDocument).where(OrganisationDocument.organisation_id.in_(ids))
            .order_by(OrganisationDocument.id))
    for document in db.session.scalars(stmt):
        found[document.organisation_id].append(document)
    return found


def get_document_or_404(user, document_id: int) -> OrganisationDocument:
    document = db.session.get(OrganisationDocument, document_id)
    if document is None or not can_view_documents(user, document.organisation_id):
        raise NotFound(_("No such document."))
    return document


def get_organisation_or_404(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(_("No such organisation."))
    return organisation


# --- services -------------------------------------------------------------------------

def add_document(actor, organisation: Organisation, filename: str, data: bytes) -> OrganisationDocument:
    """A member adds a registration document; size and bytes are checked as for attachments."""
    if not is_member(actor, organisation.id):
        raise NotFound(_("No such organisation."))
    document = OrganisationDocument(organisation_id=organisation.id, **accept_upload(filename, data), uploaded_by_id=actor.id)
    db.session.add(document)
    db.session.flush()
    record_event(actor, "organisation.document_added", document, after={
        "organisation_id": organisation.id, "filename": document.filename, "media_type": document.media_type,
        "size": document.size, "sha256": document.sha256})
    return document


def verify_organisation(actor, organisation: Organisation) -> Organisation:
    """The secretariat vouches for the organisation; verifying it again changes nothing."""
    if not can_verify_organisation(actor):
        raise PermissionDenied(_("Only the secretariat verifies organisations."))
    if organisation.verified_at is None:
        organisation.verified_at = utcnow()
        record_event(actor, "organisation.verified", organisation, before={"verified_at": None},
                     after={"verified_at": organisation.verified_at})
    return organisation


def withdraw_verification(actor, organisation: Organisation) -> Organisation:
    if not can_verify_organisation(actor):
        raise PermissionDenied(_("Only the secretariat verifies organisations."))
    if organisation.verified_at is not None:
        before = organisation.verified_at
        organisation.verified_at = None
        record_event(actor, "organisation.verification_withdrawn", organisation, before={"verified_at": before},
                     after={"verified_at": None})
    return organisation
