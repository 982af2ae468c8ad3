"""Uploaded files: what their bytes say they are, where they are kept, how they are served.

Media types are judged from the bytes, never from the name or the client's claim. Bytes
live under UPLOAD_FOLDER (outside static/) under a random key; the database keeps the
original name, size, media type and SHA-256.
"""
import hashlib
import io
import secrets
import unicodedata
import zipfile
from pathlib import Path
from urllib.parse import quote

from flask import current_app, has_app_context, send_file
from sqlalchemy import String, event
from sqlalchemy.orm import Mapped, Session, mapped_column

from .extensions import db
from .security import CONTENT_SECURITY_POLICY

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PNG = "image/png"
JPEG = "image/jpeg"
DOCUMENT_TYPES = (PDF, DOCX, XLSX)
EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", XLSX: ".xlsx", PNG: ".png", JPEG: ".jpg"}
# The part each Office Open XML package must contain to be what it claims.
_OOXML_MAIN_PART = {"word/document.xml": DOCX, "xl/workbook.xml": XLSX}


FILENAME_MAX = 255
# The site's policy and a sandbox: no script, no form, an origin of its own.
DOWNLOAD_POLICY = f"{CONTENT_SECURITY_POLICY}; sandbox"


class StoredFile:
    """Model mixin: the columns of a file kept under UPLOAD_FOLDER (uploads.accept_upload
    gives their values)."""

    filename: Mapped[str] = mapped_column(String(FILENAME_MAX))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    storage_key: Mapped[str] = mapped_column(String(64), unique=True)


def sniff_media_type(data: bytes) -> str | None:
    """PDF, DOCX, XLSX, PNG or JPEG from the first bytes (and a ZIP's parts); else None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, ValueError):
            return None
        if "[Content_Types].xml" in names:
            for part, media_type in _OOXML_MAIN_PART.items():
                if part in names:
                    return media_type
    return None


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _folder() -> Path:
    folder = Path(current_app.config["UPLOAD_FOLDER"])
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def store_bytes(data: bytes) -> str:
    """Write the bytes under a new random key and return the key. The file belongs to the
    current transaction: a rollback deletes it, so a failed request leaves no orphan."""
    key = secrets.token_hex(16)
    (_folder() / key).write_bytes(data)
    db.session.info.setdefault(_WRITTEN, []).append(key)
    return key


def stored_path(key: str) -> Path:
    if not key.isalnum():  # keys are ours, but never let one climb out of the folder
        raise ValueError("bad storage key")
    return _folder() / key


def delete_stored(key: str) -> None:
    """Delete the bytes once the current transaction commits: a rollback keeps them, with the
    row that still names them."""
    stored_path(key)  # refuse a bad key now, not after the commit
    db.session.info.setdefault(_DELETED, []).append(key)


# The files a transaction wrote or will delete, kept in its session until it ends.
_WRITTEN, _DELETED = "files_written", "files_deleted"


@event.listens_for(Session, "after_commit")
def _forget_written_and_delete(session) -> None:
    session.info.pop(_WRITTEN, None)
    for key in session.info.pop(_DELETED, []):
        _remove(key)


@event.listens_for(Session, "after_rollback")
def _delete_written_and_keep(session) -> None:
    session.info.pop(_DELETED, None)
    for key in session.info.pop(_WRITTEN, []):
        _remove(key)


def _remove(key: str) -> None:
    # Outside a request or app context (a session ended by a script) the folder is unknown.
    if has_app_context():
        stored_path(key).unlink(missing_ok=True)


# Names Windows keeps for devices: a download saved as "CON.pdf" cannot be opened there.
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(10)), *(f"LPT{n}" for n in range(10))}
_NOT_IN_NAMES = str.maketrans({ch: "_" for ch in '<>:"|?*'})
# The endings a file of each kind may keep; any other gets the kind's own appended.
_ENDINGS = {PDF: (".pdf",), DOCX: (".docx",), XLSX: (".xlsx",), PNG: (".png",), JPEG: (".jpg", ".jpeg")}


def safe_filename(name: str, media_type: str | None = None, max_length: int = FILENAME_MAX) -> str:
    """The name a user gave, without folders, control or direction-changing characters or
    characters Windows forbids, never empty, never a Windows device name, at most
    max_length characters; given the media type its bytes were judged to be, it ends with
    that kind's extension, so a PDF named "invoice.html" is saved as "invoice.html.pdf"
    and opened as a PDF, whatever it hides."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").translate(_NOT_IN_NAMES).strip(" .")
    name = name or "file"
    if name.split(".", 1)[0].strip().upper() in _WINDOWS_DEVICES:
        name = f"_{name}"
    stem, ending = name, ""
    if media_type in _ENDINGS:
        if name.lower().endswith(_ENDINGS[media_type]):
            stem, dot, suffix = name.rpartition(".")
            ending = dot + suffix
        else:
            ending = EXTENSIONS[media_type]
    # A long name is cut in its stem: the ending stays.
    return (stem[:max_length - len(ending)].rstrip(" .") or "file") + ending


def send_stored(key: str, filename: str, media_type: str, sha256: str):
    """A stored file as a download under `filename`; the caller checked who may have it and
    chose the name. Werkzeug writes RFC 6266's ASCII fallback and the exact UTF-8 name."""
    response = send_file(stored_path(key), mimetype=media_type, as_attachment=True, download_name=filename,
                         max_age=0, conditional=True, etag=sha256)
    return _as_download(response, filename)


def send_bytes(data: bytes, filename: str, media_type: str):
    """Bytes made for this download (a copy of a stored file without its metadata), served
    as send_stored serves a file, under their own checksum."""
    response = send_file(io.BytesIO(data), mimetype=media_type, as_attachment=True, download_name=filename,
                         max_age=0, conditional=True, etag=sha256_of(data))
    return _as_download(response, filename)


def _as_download(response, filename: str):
    if "filename*" not in response.headers["Content-Disposition"]:
        # API.md promises the exact name in filename* for every file; Werkzeug writes it
        # only for names beyond ASCII.
        response.headers.set("Content-Disposition", "attachment", filename=filename,
                             **{"filename*": f"UTF-8''{quote(filename, safe='')}"})
    response.headers["X-Content-Type-Options"] = "nosniff"
    # Should a browser ever show an uploaded file itself rather than save it (a PDF that is
    # also an HTML page), it runs no script, in an origin of its own.
    response.headers["Content-Security-Policy"] = DOWNLOAD_POLICY
    return response
