"""Small real files for upload tests, made in memory."""
import io
import zipfile

from PIL import Image


def pdf_bytes(text: str = "Hello") -> bytes:
    """A minimal, complete one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n% " + text.encode("ascii", "replace") + b"\n")  # a comment: other text, other bytes
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def _package(main_part: str, content_type: str, extra: dict | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/{main_part}" ContentType="{content_type}"/></Types>'))
        package.writestr(main_part, "<document/>")
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return out.getvalue()


def docx_bytes() -> bytes:
    return _package("word/document.xml",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml")


def xlsx_bytes() -> bytes:
    return _package("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")


def docm_bytes() -> bytes:
    return _package("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml",
                    {"word/vbaProject.bin": b"\x00" * 64})


def plain_zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("notes.txt", "not a document")
    return out.getvalue()


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), (30, 30, 200)).save(out, format="JPEG")
    return out.getvalue()


EXECUTABLE = b"MZ\x90\x00" + b"\x00" * 200  # the start of a Windows executable


# Files whose metadata names `who` (an organisation), as authoring software writes it.
def pdf_naming(who: str) -> bytes:
    """A one-page PDF whose Info dictionary and XMP name `who`, the XMP stream compressed."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(pdf_bytes()))
    pdf.docinfo.update({"/Author": who, "/Creator": f"{who} Word", "/Producer": f"{who} PDF",
                        "/Title": f"Workplan of {who}", "/Subject": who, "/Keywords": who})
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as xmp:
        xmp["dc:creator"] = [who]
        xmp["xmp:CreatorTool"] = f"{who} Publisher"
    out = io.BytesIO()
    pdf.save(out, compress_streams=True)
    return out.getvalue()


def docx_naming(who: str) -> bytes:
    core = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"'
            ' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"'
            ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>Proposal of {who}</dc:title><dc:subject>{who}</dc:subject><dc:creator>{who}</dc:creator>'
            f'<cp:keywords>{who}</cp:keywords><dc:description>By {who}</dc:description>'
            f'<cp:lastModifiedBy>{who} staff</cp:lastModifiedBy>'
            '<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-05T10:00:00Z</dcterms:created>'
            '</cp:coreProperties>')
    app = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
           ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
           f'<Application>Microsoft Office Word</Application><Company>{who}</Company>'
           f'<Manager>Director of {who}</Manager><Pages>1</Pages></Properties>')
    custom = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
              '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"'
              ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
              '<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="Client">'
              f'<vt:lpwstr>{who}</vt:lpwstr></property></Properties>')
    return _package("word/document.xml",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    {"docProps/core.xml": core, "docProps/app.xml": app, "docProps/custom.xml": custom})


def _exif_naming(who: str) -> Image.Exif:
    exif = Image.Exif()
    exif[0x013B] = who  # Artist
    exif[0x8298] = f"(c) {who}"  # Copyright
    return exif


def _xmp_naming(who: str) -> bytes:
    return (f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            f'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" dc:creator="{who}"/>'
            f'</rdf:RDF></x:xmpmeta>').encode()


def jpeg_naming(who: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (30, 30, 200)).save(out, format="JPEG", exif=_exif_naming(who),
                                                   xmp=_xmp_naming(who), comment=f"Made by {who}".encode())
    return out.getvalue()


def png_naming(who: str) -> bytes:
    from PIL import PngImagePlugin

    text = PngImagePlugin.PngInfo()
    text.add_text("Author", who)
    text.add_itxt("XML:com.adobe.xmp", _xmp_naming(who).decode(), zip=True)
    text.add_text("Comment", f"Made by {who}", zip=True)
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (200, 30, 30)).save(out, format="PNG", pnginfo=text, exif=_exif_naming(who))
    return out.getvalue()
