"""Accepting an upload, the same way everywhere: the size limit (413), the bytes judged by
filecheck (422 with a message for the user), stripped by disarm of what must not be kept
(a PDF's scripts, a photo's metadata), then stored under a random key.

Two steps, so that a service can find a copy already attached (by the SHA-256 of what
would be stored) before anything is written: check_upload, then store_upload.
"""
from dataclasses import dataclass
from functools import cached_property

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l

from .disarm import disarm
from .errors import DomainError, ValidationFailed
from .filecheck import UploadRejected, inspect_upload
from .files import safe_filename, sha256_of, store_bytes
from .ratelimits import check_upload as count_upload


class UploadTooLarge(DomainError):
    status = 413
    title = _l("Content Too Large")


def _too_large(kind: str, size: int, limit: int) -> str:
    # One sentence per kind of file (the callers' `kind`), so each reads whole in every language.
    values = {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"}
    if kind == "template":
        return _("The template is %(size)s MB; the limit is %(limit)s MB.", **values)
    return _("The file is %(size)s MB; the limit is %(limit)s MB.", **values)


def _not_a_document(kind: str) -> str:
    if kind == "template":
        return _("This template must be a PDF, Word (.docx) or Excel (.xlsx) document.")
    return _("This file must be a PDF, Word (.docx) or Excel (.xlsx) document.")


@dataclass(frozen=True)
class CheckedUpload:
    """A file fit to keep: its safe name, its media type and the bytes to store."""

    filename: str
    media_type: str
    data: bytes

    @cached_property  # the duplicate check and the row both want it
    def sha256(self) -> str:
        return sha256_of(self.data)


def check_upload(filename: str, data: bytes, allowed: tuple[str, ...] | None = None,
                 kind: str = "file") -> CheckedUpload:
    """The file as it will be kept, or a DomainError saying why it cannot be.

    `allowed` narrows the accepted media types (call templates take documents only); `kind`
    ("file" or "template") names the upload in the messages."""
    count_upload()  # per user, before any work on the bytes
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    if len(data) > limit:
        raise UploadTooLarge(_too_large(kind, len(data), limit))
    try:
        media_type = inspect_upload(data)
        if allowed is not None and media_type not in allowed:
            raise UploadRejected(_not_a_document(kind))
        kept = disarm(data, media_type)
    except UploadRejected as error:
        raise ValidationFailed(str(error), errors={"file": [str(error)]}) from None
    return CheckedUpload(safe_filename(filename, media_type), media_type, kept)


def store_upload(checked: CheckedUpload) -> dict:
    """The checked file's name, media type, size, SHA-256 and storage key, its bytes written."""
    return dict(filename=checked.filename, media_type=checked.media_type, size=len(checked.data),
                sha256=checked.sha256, storage_key=store_bytes(checked.data))


def accept_upload(filename: str, data: bytes, allowed: tuple[str, ...] | None = None,
                  kind: str = "file") -> dict:
    """check_upload, then store_upload: for a file that no copy can already be attached to."""
    return store_upload(check_upload(filename, data, allowed, kind))
