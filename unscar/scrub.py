"""Document metadata removed from a file's bytes: what a blind reviewer downloads.

A file's content is the applicant's to write, but its metadata is written by their
software, often with the organisation's name in it (a PDF's Author and Creator, a Word
file's "Company", a photo's EXIF and XMP). `scrub` returns the same document without it,
for the five kinds of file uploads accept (filecheck.py).

Images are stripped chunk by chunk, never re-encoded, so a chart or a scan loses nothing;
anything not known to be harmless is dropped (a whitelist), since a new tool may invent a
new place for a name. A file that cannot be taken apart is refused (ScrubFailed), never
served as it came.
"""
import io
import struct
import zipfile
from xml.etree import ElementTree as XmlWriter  # serialising only; parsing goes through defusedxml

import pikepdf
from defusedxml import ElementTree

from .files import DOCX, JPEG, PDF, PNG, XLSX


class ScrubFailed(ValueError):
    """The file cannot be taken apart to remove its metadata."""


def scrub(data: bytes, media_type: str) -> bytes:
    """The bytes of the same document without identifying metadata."""
    scrubber = {PDF: _scrub_pdf, DOCX: _scrub_office, XLSX: _scrub_office, PNG: _scrub_png,
                JPEG: _scrub_jpeg}.get(media_type)
    if scrubber is None:
        raise ScrubFailed(f"No metadata scrubber for {media_type}.")
    try:
        return scrubber(data)
    except ScrubFailed:
        raise
    except (pikepdf.PdfError, pikepdf.PasswordError, zipfile.BadZipFile, ElementTree.ParseError,
            KeyError, ValueError, IndexError, struct.error, RecursionError) as error:
        raise ScrubFailed(f"The file cannot be read ({type(error).__name__}).") from None


# PDF: the document information dictionary (Author, Creator, Producer, Title, Subject,
# Keywords) and every XMP metadata stream (the catalogue's, and any a page, image or font
# carries), and /PieceInfo, where authoring applications keep their private data.
# qpdf writes only the objects still reachable, so earlier revisions go too.
def _scrub_pdf(data: bytes) -> bytes:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        for obj in pdf.objects:
            if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
                for key in ("/Metadata", "/PieceInfo"):
                    if key in obj:
                        del obj[key]
        out = io.BytesIO()
        # No encryption, no XMP recreated to record the version or PDF/A conformance; streams
        # copied as they are, never inflated (one may unpack to gigabytes).
        pdf.save(out, encryption=False, preserve_pdfa=False, fix_metadata_version=False,
                 compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
        return out.getvalue()


# Office Open XML: the properties Word and Excel fill from the user's account and licence.
_CORE_NS = {"cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
            "dcmitype": "http://purl.org/dc/dcmitype/", "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
_APP_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_EMPTIED = {
    "docProps/core.xml": {f"{{{_CORE_NS[p]}}}{name}" for p, name in (
        ("dc", "creator"), ("cp", "lastModifiedBy"), ("dc", "title"), ("dc", "subject"), ("cp", "keywords"),
        ("dc", "description"), ("cp", "category"), ("cp", "contentStatus"), ("dc", "identifier"))},
    "docProps/app.xml": {f"{{{_APP_NS}}}{name}" for name in ("Company", "Manager", "HyperlinkBase")},
}
for _prefix, _uri in {**_CORE_NS, "vt": _VT_NS}.items():
    XmlWriter.register_namespace(_prefix, _uri)


def _scrub_office(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            if info.filename in _EMPTIED:
                body = _emptied_xml(body, _EMPTIED[info.filename],
                                    _APP_NS if info.filename == "docProps/app.xml" else None)
            elif info.filename == "docProps/custom.xml":
                body = _emptied_custom(body)
            copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            copy.compress_type = info.compress_type
            copy.external_attr = info.external_attr
            target.writestr(copy, body)  # without the entry's and the archive's comments
    return out.getvalue()


def _emptied_xml(body: bytes, tags: set[str], default_namespace: str | None) -> bytes:
    root = ElementTree.fromstring(body)
    for element in root.iter():
        if element.tag in tags:
            element.text = None
            for child in list(element):
                element.remove(child)
    return XmlWriter.tostring(root, encoding="UTF-8", xml_declaration=True, default_namespace=default_namespace)


def _emptied_custom(body: bytes) -> bytes:
    """Custom properties are the user's own fields ("Client", "Prepared by"): all go; the
    part stays, empty, so the package's relationships still point at something."""
    root = ElementTree.fromstring(body)
    for child in list(root):
        root.remove(child)
    return XmlWriter.tostring(root, encoding="UTF-8", xml_declaration=True, default_namespace=_CUSTOM_NS)


# PNG: the critical chunks draw the image; of the ancillary ones only those that say how
# to show it are kept. Text (tEXt, zTXt, iTXt, where XMP lives too), eXIf, tIME and any
# private chunk are dropped.
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_KEPT = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"iCCP", b"sBIT",
             b"bKGD", b"pHYs", b"hIST", b"acTL", b"fcTL", b"fdAT"}


def _scrub_png(data: bytes) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise ScrubFailed("Not a PNG image.")
    out, position = [_PNG_SIGNATURE], len(_PNG_SIGNATURE)
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position:position + 8])
        end = position + 12 + length  # length, type, data, CRC
        if end > len(data):
            raise ScrubFailed("The PNG image is truncated.")
        if kind in _PNG_KEPT:
            out.append(data[position:end])
        position = end
        if kind == b"IEND":
            break  # whatever follows the image is not the image
    return b"".join(out)


# JPEG: APP0 (JFIF), APP2 colour profiles and APP14 (Adobe's colour transform) are kept
# with every coding segment; APP1 (EXIF, XMP), APP13 (IPTC), the other APPn, comments and
# anything after the end of the image are dropped.
_SOI, _EOI, _SOS = 0xD8, 0xD9, 0xDA
_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and the restart markers carry no length


def _keep_jpeg_segment(marker: int, payload: bytes) -> bool:
    if marker == 0xFE or 0xE0 <= marker <= 0xEF:
        return marker in (0xE0, 0xEE) or (marker == 0xE2 and payload.startswith(b"ICC_PROFILE\x00"))
    return True


def _scrub_jpeg(data: bytes) -> bytes:
    if not data.startswith(b"\xff\xd8"):
        raise ScrubFailed("Not a JPEG image.")
    out, position = [b"\xff\xd8"], 2
    while True:
        if position + 2 > len(data) or data[position] != 0xFF:
            raise ScrubFailed("The JPEG image is damaged.")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
            continue
        if marker == _EOI:
            out.append(b"\xff\xd9")
            return b"".join(out)
        if marker in _STANDALONE or marker == _SOI:
            out.append(data[position:position + 2])
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2:position + 4])
        end = position + 2 + length
        if length < 2 or end > len(data):
            raise ScrubFailed("The JPEG image is truncated.")
        if _keep_jpeg_segment(marker, data[position + 4:end]):
            out.append(data[position:end])
        position = end
        if marker == _SOS:
            # Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a
            # restart marker.
            scan_end = position
            while True:
                scan_end = data.find(b"\xff", scan_end)
                if scan_end < 0 or scan_end + 1 >= len(data):
                    raise ScrubFailed("The JPEG image is truncated.")
                following = data[scan_end + 1]
                if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
                    scan_end += 1 if following == 0xFF else 2
                    continue
                break
            out.append(data[position:scan_end])
            position = scan_end
