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

from flask import current_app, send_file
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

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
    """Write the bytes under a new random key and return the key."""
    key = secrets.token_hex(16)
    (_folder() / key).write_bytes(data)
    return key


def stored_path(key: str) -> Path:
    if not key.isalnum():  # keys are ours, but never let one climb out of the folder
        raise ValueError("bad storage key")
    return _folder() / key


def delete_stored(key: str) -> None:
    stored_path(key).unlink(missing_ok=True)


def safe_filename(name: str, max_length: int = 255) -> str:
    """The name a user gave, without folders or control characters, never empty."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip(" .")
    return name[:max_length] or "file"


def content_disposition(filename: str, inline: bool = False) -> str:
    """RFC 6266: an ASCII fallback and the exact UTF-8 name in filename*."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    fallback = "".join(ch if ch.isalnum() or ch in " .-_()" else "_" for ch in fallback).strip() or "file"
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def send_stored(key: str, filename: str, media_type: str, sha256: str):
    """A stored file as a download under its original name; the caller checked who may have it."""
    response = send_file(stored_path(key), mimetype=media_type, max_age=0, conditional=True, etag=sha256)
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
