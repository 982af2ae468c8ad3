"""What every upload loses before it is stored: a PDF's active content, an image's metadata.

The fund's rule (issue 16): a file is kept for what it shows, never for what it runs or
what it says about where it was made.

- PDF: scripts and actions that run or reach out when the file is opened or clicked
  (/JavaScript, /OpenAction and /AA that do more than go to a page, /Launch, /SubmitForm,
  /ImportData, /GoToR, /GoToE, a link to anything but http, https or mailto) and XFA
  forms are removed; the pages are untouched. A PDF carrying other files (/EmbeddedFiles,
  a file attachment annotation, any file specification with /EF) is refused instead:
  the files inside would escape every check, and dropping them silently would lose what
  the applicant meant to send, so they are asked to attach each file on its own. A PDF
  that needs a password to open is refused: nothing in it can be checked.
- PNG and JPEG: everything but the picture is removed (EXIF with its GPS position and
  camera serial, XMP, comments, anything after the image's end), for every reader, not
  only blind reviewers: the fund needs none of it, and a field photo's position can put
  people at risk once a report is shared. A JPEG keeps its EXIF orientation, alone, so a
  phone photo still shows upright.
- Word and Excel files are stored as sent: filecheck.py refuses those with macros,
  ActiveX, embedded programs or remote templates.

A file with nothing to remove is stored byte for byte as sent, so its SHA-256 is the
applicant's own copy's.
"""
import io
import struct

import pikepdf
from PIL import Image

from .files import JPEG, PDF, PNG
from .filecheck import UploadRejected
from .scrub import ScrubFailed, scrub

# Actions that only move within the document or open a web link (checked below).
_HARMLESS_ACTIONS = {"/GoTo", "/URI", "/Named", "/Thread"}
_LINK_SCHEMES = ("http:", "https:", "mailto:")
_ACTION_KEYS = ("/A", "/OpenAction")
_EXIF_ORIENTATION = 0x0112


def disarm(data: bytes, media_type: str) -> bytes:
    """The bytes to store for a file that filecheck.inspect_upload accepted as `media_type`;
    UploadRejected when it cannot be kept at all."""
    if media_type == PDF:
        return _disarm_pdf(data)
    if media_type in (PNG, JPEG):
        return _disarm_image(data, media_type)
    return data


def _disarm_pdf(data: bytes) -> bytes:
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            changed = _strip_active_content(pdf)
            if not changed:
                return data
            out = io.BytesIO()
            # Streams are copied as they are, never inflated: a stream that unpacks to
            # gigabytes stays the size it came (qpdf unpacks a stream to re-pack it when
            # asked to compress, whatever the decode level).
            pdf.save(out, encryption=False, compress_streams=False,
                     stream_decode_level=pikepdf.StreamDecodeLevel.none)
            return out.getvalue()
    except UploadRejected:
        raise
    except pikepdf.PasswordError:
        raise UploadRejected("The PDF is protected by a password; save it without one and upload it.") from None
    except (pikepdf.PdfError, ValueError, RecursionError) as error:
        raise UploadRejected(f"The PDF cannot be read ({type(error).__name__}); upload a valid PDF.") from None


def _strip_active_content(pdf: pikepdf.Pdf) -> bool:
    """Remove what runs; refuse what carries files. True when anything was removed."""
    changed = False
    root = pdf.Root
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        if "/EmbeddedFiles" in names:
            raise _carries_files()
        if "/JavaScript" in names:
            del names["/JavaScript"]
            changed = True
    for key in ("/NeedsRendering",):  # an XFA-only form's flag: without XFA it shows nothing
        if key in root:
            del root[key]
            changed = True
    acroform = root.get("/AcroForm")
    if isinstance(acroform, pikepdf.Dictionary) and "/XFA" in acroform:
        del acroform["/XFA"]
        changed = True
    for dictionary in _dictionaries(pdf):
        if "/EF" in dictionary or dictionary.get("/Type") == "/EmbeddedFile" \
                or dictionary.get("/Subtype") == "/FileAttachment":
            raise _carries_files()
        for key in ("/AA", "/JS"):
            if key in dictionary:
                del dictionary[key]
                changed = True
        for key in (*_ACTION_KEYS, "/Next"):
            if key in dictionary and not _harmless(dictionary[key]):
                del dictionary[key]
                changed = True
    return changed


def _carries_files() -> UploadRejected:
    return UploadRejected("The PDF carries other files inside it; attach each file on its own, "
                          "or save the PDF without its attachments.")


def _harmless(value) -> bool:
    """A destination (a page to open at) or a harmless action, with its /Next chain."""
    if isinstance(value, pikepdf.Array):
        # /Next may list actions; /OpenAction may be a destination [page /Fit].
        return all(_harmless(item) for item in value if isinstance(item, pikepdf.Dictionary))
    if not isinstance(value, pikepdf.Dictionary):
        return True
    kind = value.get("/S")
    if kind is None:  # not an action (a page object inside a destination)
        return "/JS" not in value
    if str(kind) not in _HARMLESS_ACTIONS:
        return False
    if str(kind) == "/URI" and not str(value.get("/URI", "")).strip().lower().startswith(_LINK_SCHEMES):
        return False
    return "/Next" not in value or _harmless(value["/Next"])


def _dictionaries(pdf: pikepdf.Pdf):
    """Every dictionary and stream dictionary of the file: each indirect object and the
    direct objects nested in it (an annotation written inside a page's /Annots)."""
    for obj in pdf.objects:
        stack = [obj]
        while stack:
            item = stack.pop()
            if isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)):
                yield item
                children = [item[key] for key in list(item.keys()) if key in item]
            elif isinstance(item, pikepdf.Array):
                children = list(item)
            else:
                continue
            stack.extend(c for c in children
                         if isinstance(c, (pikepdf.Dictionary, pikepdf.Array)) and not c.is_indirect)


def _disarm_image(data: bytes, media_type: str) -> bytes:
    try:
        cleaned = scrub(data, media_type)
    except ScrubFailed:
        raise UploadRejected("The image is damaged or incomplete; upload it again.") from None
    if media_type == JPEG:
        cleaned = _with_orientation(cleaned, _orientation(data))
    return cleaned


def _orientation(data: bytes) -> int:
    try:
        with Image.open(io.BytesIO(data)) as image:
            value = image.getexif().get(_EXIF_ORIENTATION, 1)
    except (OSError, ValueError, SyntaxError, struct.error):
        return 1
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _with_orientation(jpeg: bytes, orientation: int) -> bytes:
    """The JPEG with an EXIF segment holding its orientation only, after the JFIF header."""
    if orientation == 1:
        return jpeg
    exif = Image.Exif()
    exif[_EXIF_ORIENTATION] = orientation
    payload = exif.tobytes()  # "Exif\0\0" and a TIFF block with the one tag
    segment = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    position = 2
    if jpeg[2:4] == b"\xff\xe0":  # APP0 (JFIF) must stay first
        position = 4 + struct.unpack(">H", jpeg[4:6])[0]
    return jpeg[:position] + segment + jpeg[position:]
