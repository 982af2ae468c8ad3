"""Accepting an upload, the same way everywhere: the size limit (413), the bytes judged by
filecheck (422 with a message for the user), then the bytes stored under a random key."""
from flask import current_app

from .errors import DomainError, ValidationFailed
from .filecheck import UploadRejected, inspect_upload
from .files import safe_filename, sha256_of, store_bytes
from .ratelimits import check_upload


class UploadTooLarge(DomainError):
    status = 413
    title = "Content Too Large"


def accept_upload(filename: str, data: bytes, allowed: tuple[str, ...] | None = None,
                  kind: str = "file") -> dict:
    """The checked file's name, media type, size, SHA-256 and storage key.

    `allowed` narrows the accepted media types (call templates take documents only)."""
    check_upload()  # per user, before any work on the bytes
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    if len(data) > limit:
        raise UploadTooLarge(f"The {kind} is {len(data) / 1048576:.1f} MB; the limit is {limit / 1048576:.0f} MB.")
    try:
        media_type = inspect_upload(data)
    except UploadRejected as error:
        raise ValidationFailed(str(error), errors={"file": [str(error)]}) from None
    if allowed is not None and media_type not in allowed:
        message = f"This {kind} must be a PDF, Word (.docx) or Excel (.xlsx) document."
        raise ValidationFailed(message, errors={"file": [message]})
    return dict(filename=safe_filename(filename), media_type=media_type, size=len(data), sha256=sha256_of(data),
                storage_key=store_bytes(data))
