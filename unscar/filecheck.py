"""Judging an upload by its bytes: PDF, DOCX, XLSX, PNG or JPEG, complete and harmless.

A PDF must parse and end properly; a DOCX or XLSX must be a real Word or Excel package
(its [Content_Types].xml names the main part) without macros, ActiveX controls, embedded
programs (OLE objects) or a template fetched from elsewhere, and must not unpack to more
than MAX_UNPACKED_BYTES or hold more than MAX_PARTS parts; images must decode. Anything
else, a renamed executable or a truncated file, is refused with a message that says what
to do. What a kept file still loses before it is stored (a PDF's scripts, a photo's
metadata) is disarm.py's.
"""
import io
import re
import warnings
import zipfile

import pikepdf
from defusedxml import ElementTree
from flask_babel import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader
from pypdf.errors import DependencyError, PyPdfError

from .files import DOCX, JPEG, PDF, PNG, XLSX, sniff_media_type

_MAIN_CONTENT_TYPES = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}
_MACRO_MARKERS = ("macroenabled", "vbaproject", "vbadata")
_TYPES_READ_LIMIT = 1024 * 1024
# A package that inflates to more than this is refused (a "zip bomb" protection); the
# sizes its directory declares are summed before anything is inflated, and Python's
# zipfile never inflates a part beyond its declared size.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
# Word and Excel write tens of parts, a large workbook a few thousand; a million empty
# parts is an attack on whatever unpacks the file next.
MAX_PARTS = 10_000
# Parts that can run code when the document is opened: ActiveX controls, and any embedded
# object but an Office document without macros or a picture (an OLE object, .bin, is how a
# packaged program shows as an icon; an archive hides what it holds).
_ACTIVEX = re.compile(r"(^|/)activex/")
_EMBEDDED = re.compile(r"(^|/)embeddings/")
_EMBEDDABLE = (".docx", ".xlsx", ".pptx", ".vsdx", ".emf", ".wmf", ".png", ".jpeg", ".jpg")
# Relationships that make Word or Excel fetch a document from elsewhere on opening (a
# remote template is how macros arrive in a .docx that has none).
_REMOTE_LOADS = ("/attachedtemplate", "/oleobject", "/frame", "/subdocument")


class UploadRejected(ValueError):
    """The bytes are not an acceptable file; the message is for the user."""


def inspect_upload(data: bytes) -> str:
    """The media type of an acceptable file, or UploadRejected saying why not."""
    if not data:
        raise UploadRejected(_("The file is empty."))
    media_type = sniff_media_type(data)
    if media_type is None:
        if data.startswith(b"PK\x03\x04") and _is_macro_package(data):
            raise _macros_refused()
        raise UploadRejected(_("This kind of file is not accepted; upload a PDF, Word (.docx), Excel (.xlsx), "
                               "PNG or JPEG file."))
    {PDF: _check_pdf, DOCX: _check_office, XLSX: _check_office,
     PNG: _check_image, JPEG: _check_image}[media_type](data, media_type)
    return media_type


def _check_pdf(data: bytes, _media_type: str) -> None:
    if b"%%EOF" not in data[-1024:]:
        raise UploadRejected(_("The PDF is incomplete (it does not end properly); upload it again."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pypdf warns about repairable oddities
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted and not reader.decrypt(""):
                raise _password_protected()
            pages = len(reader.pages)
    except DependencyError:
        # AES encryption, which pypdf reads only with a cryptography library; qpdf reads it.
        pages = _pages_read_by_qpdf(data)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        if isinstance(error, UploadRejected):
            raise
        raise _unreadable_pdf(error) from None
    if pages < 1:
        raise UploadRejected(_("The PDF has no pages."))


def _password_protected() -> UploadRejected:
    return UploadRejected(_("The PDF is protected by a password; save it without one and upload it."))


def _unreadable_pdf(error: Exception) -> UploadRejected:
    return UploadRejected(_("The PDF cannot be read (%(error)s); upload a valid PDF.", error=type(error).__name__))


def _macros_refused() -> UploadRejected:
    return UploadRejected(_("Files with macros (.docm, .xlsm) are not accepted; save it as .docx or .xlsx."))


def _pages_read_by_qpdf(data: bytes) -> int:
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            return len(pdf.pages)
    except pikepdf.PasswordError:
        raise _password_protected() from None
    except (pikepdf.PdfError, ValueError, RecursionError) as error:
        raise _unreadable_pdf(error) from None


def _is_macro_package(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = [n.lower() for n in package.namelist()]
            # Read only a list's worth: a part declared huge is the size check's to refuse.
            small = "[Content_Types].xml" in package.namelist() \
                and package.getinfo("[Content_Types].xml").file_size <= _TYPES_READ_LIMIT
            content_types = package.read("[Content_Types].xml").decode("utf-8", "replace").lower() if small else ""
    except (zipfile.BadZipFile, KeyError, ValueError, NotImplementedError, EOFError):
        return False
    return any(m in content_types for m in _MACRO_MARKERS) or any("vbaproject" in n for n in names)


def _check_office(data: bytes, media_type: str) -> None:
    if _is_macro_package(data):
        raise _macros_refused()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            parts = package.infolist()
            if len(parts) > MAX_PARTS or sum(info.file_size for info in parts) > MAX_UNPACKED_BYTES:
                raise UploadRejected(_("The document unpacks to an unreasonable size; save it again from "
                                       "Word or Excel and upload it."))
            if package.testzip() is not None:
                raise _damaged()
            _refuse_active_parts(package)
            types = ElementTree.fromstring(package.read("[Content_Types].xml"))
    except UploadRejected:
        raise
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError, NotImplementedError, EOFError):
        # ValueError includes defusedxml's refusal of entities (an XML bomb).
        raise _damaged() from None
    declared = {el.get("ContentType") for el in types.iter() if el.get("ContentType")}
    if _MAIN_CONTENT_TYPES[media_type] not in declared:
        if media_type == DOCX:
            raise UploadRejected(_("This is not a real Word document; save it from Word and upload it."))
        raise UploadRejected(_("This is not a real Excel document; save it from Excel and upload it."))


def _damaged() -> UploadRejected:
    return UploadRejected(_("The document is damaged; save it again and upload it."))


def _refuse_active_parts(package: zipfile.ZipFile) -> None:
    names = [name.lower() for name in package.namelist()]
    if any(_ACTIVEX.search(name) or (_EMBEDDED.search(name) and not name.endswith(_EMBEDDABLE)) for name in names):
        raise UploadRejected(_("The document contains embedded objects that can hold programs (OLE objects, "
                               "ActiveX controls, archives); remove them, or save it as PDF, and upload it again."))
    for name in package.namelist():
        if not name.lower().endswith(".rels"):
            continue
        for relationship in ElementTree.fromstring(package.read(name)).iter():
            kind = (relationship.get("Type") or "").lower()
            if relationship.get("TargetMode") == "External" and kind.endswith(_REMOTE_LOADS):
                raise UploadRejected(_("The document loads a template or object from elsewhere when opened; "
                                       "save it as a plain .docx or .xlsx and upload it again."))


def _check_image(data: bytes, _media_type: str) -> None:
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise UploadRejected(_("The image is damaged or incomplete; upload it again.")) from None
