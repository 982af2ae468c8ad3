"""Hostile files on every upload channel, pages and API (issue 16, point 3): each is refused
with a clear message (422 problem+json, a 4xx form page, or a flash after the redirect on
the two post/redirect/get forms) and leaves nothing on disk, or is kept cleaned: a PDF
without its scripts and actions, an image without its metadata or what trails it. What
is kept lies inside the storage folder under a random key, is recorded with the checksum
of the stored bytes, and is served as an attachment, nosniff, under its own media type."""
import io
import re
from pathlib import Path

import pytest
from PIL import Image

from tests import files
from tests.kernel import hostile_files as hostile
from tests.kernel import hostile_pdfs as pdfs
from tests.kernel.upload_channels import CHANNELS, REPEATABLE
from unscar.files import sha256_of

# (file name, bytes maker, what the refusal must say)
REFUSED = [
    ("annual-report.pdf", lambda: files.EXECUTABLE, "not accepted"),
    ("budget.docx", lambda: hostile.ELF, "not accepted"),
    ("photo.png", lambda: hostile.SHELL, "not accepted"),
    ("statutes.pdf", lambda: hostile.HTML, "not accepted"),
    ("logo.png", lambda: hostile.SVG, "not accepted"),
    ("map.jpg", lambda: hostile.SVG, "not accepted"),
    ("empty.pdf", lambda: b"", "empty"),
    ("archive.docx", lambda: hostile.nested_zip(), "not accepted"),
    ("bomb.docx", lambda: hostile.docx_bomb(), "unreasonable size"),
    ("gigabytes.docx", hostile.docx_declaring_gigabytes, "unreasonable size"),
    ("liar.docx", lambda: hostile.docx_lying_small(), "damaged"),
    ("parts.docx", lambda: hostile.docx_with_parts(), "unreasonable size"),
    ("laughs.docx", hostile.docx_xml_bomb, "damaged"),
    ("nested.docx", hostile.docx_holding_nested_zip, "embedded objects"),
    ("ole.docx", hostile.docx_with_ole_object, "embedded objects"),
    ("activex.xlsx", hostile.xlsx_with_activex, "embedded objects"),
    ("macro-inside.docx", hostile.docx_with_macro_embedded, "embedded objects"),
    ("macros.docx", files.docm_bytes, "macros"),
    ("template.docx", hostile.docx_with_remote_template, "template"),
    ("carrier.pdf", pdfs.pdf_embedded_file, "other files inside"),
    ("paperclip.pdf", pdfs.pdf_file_annotation, "other files inside"),
    ("locked.pdf", pdfs.pdf_with_password, "password"),
    ("cut.pdf", lambda: files.pdf_bytes()[:-40], "incomplete"),
    ("cut.png", lambda: files.png_bytes()[:40], "damaged"),
]

# PDFs kept without what they run: (file name, maker)
PDF_CLEANED = [
    ("open-action.pdf", pdfs.pdf_open_action_script),
    ("document-scripts.pdf", pdfs.pdf_document_scripts),
    ("page-actions.pdf", pdfs.pdf_page_additional_actions),
    ("launch.pdf", pdfs.pdf_launch),
    ("js-link.pdf", pdfs.pdf_javascript_uri),
    ("submit.pdf", pdfs.pdf_submit_form),
    ("goto-then-script.pdf", pdfs.pdf_script_after_goto),
    ("xfa-form.pdf", pdfs.pdf_xfa),
]
IMAGES_CLEANED = [
    ("field-photo.jpg", hostile.jpeg_with_metadata),
    ("map.png", hostile.png_with_metadata),
    ("chart.png", hostile.png_zip_polyglot),
    ("portrait.jpg", hostile.jpeg_html_polyglot),
]
# Kept byte for byte: nothing in them runs or tells where they were made.
KEPT_AS_SENT = [
    ("navigation.pdf", pdfs.pdf_harmless_navigation),
    ("polyglot.pdf", hostile.pdf_html_polyglot),
    ("with-chart.docx", hostile.docx_with_link),
]
KEY = re.compile(r"[0-9a-f]{32}")


def _folder(app) -> Path:
    return Path(app.config["UPLOAD_FOLDER"])


def _kept_files(app) -> list[Path]:
    folder = _folder(app)
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("channel_name", list(CHANNELS))
def test_hostile_files_are_refused_with_a_clear_message_and_nothing_kept(app, channel_name):
    channel = CHANNELS[channel_name](app)
    failures = []
    for filename, make, expected in REFUSED:
        response = channel.send(filename, make())
        try:
            message = channel.refusal(response)
        except AssertionError as error:
            failures.append(f"{filename}: not refused ({error})")
            continue
        if expected not in message:
            failures.append(f"{filename}: message lacks {expected!r}: {message[:300]!r}")
    assert not failures, failures
    assert channel.stored() == [] and _kept_files(app) == []
    if hasattr(channel, "filed"):
        assert channel.filed() == 0  # the report went back with its refused file


@pytest.mark.parametrize("channel_name", REPEATABLE)
def test_pdfs_are_kept_without_their_scripts_and_actions(app, channel_name):
    channel = CHANNELS[channel_name](app)
    for filename, make in PDF_CLEANED:
        data = make()
        assert pdfs.pdf_activity(data), f"{filename} carries nothing to remove: the test proves nothing"
        response = channel.send(filename, data)
        assert channel.accepted(response), (filename, response.status_code, response.get_data(as_text=True)[:300])
    rows = channel.stored()
    assert [row.filename for row in rows] == [name for name, _ in PDF_CLEANED]
    for row in rows:
        kept = _on_disk(app, row)
        assert pdfs.pdf_activity(kept) == set(), row.filename
        assert pdfs.SCRIPT.encode() not in kept, row.filename
        _pages(kept)
        _served(channel, row, kept)


@pytest.mark.parametrize("channel_name", [n for n in REPEATABLE if not CHANNELS[n].documents_only])
def test_images_are_kept_without_their_metadata_for_everyone(app, channel_name):
    channel = CHANNELS[channel_name](app)
    for filename, make in IMAGES_CLEANED:
        response = channel.send(filename, make())
        assert channel.accepted(response), (filename, response.status_code, response.get_data(as_text=True)[:300])
    rows = channel.stored()
    assert [row.filename for row in rows] == [name for name, _ in IMAGES_CLEANED]
    assert hostile.image_metadata(hostile.jpeg_with_metadata()) >= {"gps", "exif", "xmp", "comment", "bytes"}
    assert hostile.image_metadata(hostile.png_with_metadata()) >= {"gps", "exif", "xmp", "comment", "text", "bytes"}
    for row, (_name, make) in zip(rows, IMAGES_CLEANED):
        kept = _on_disk(app, row)
        assert hostile.image_metadata(kept) == set(), row.filename
        assert b"PK\x03\x04" not in kept and b"<script" not in kept, row.filename  # what trailed the image
        with Image.open(io.BytesIO(kept)) as after, Image.open(io.BytesIO(make())) as before:
            assert after.tobytes() == before.tobytes(), f"{row.filename}: the picture changed"
        _served(channel, row, kept)


def test_a_phone_photo_keeps_its_orientation_alone(app):
    channel = CHANNELS["proposal attachments API"](app)
    assert channel.send("upright.jpg", hostile.jpeg_with_metadata(orientation=6)).status_code == 201
    kept = _on_disk(app, channel.stored()[0])
    with Image.open(io.BytesIO(kept)) as image:
        exif = image.getexif()
        assert dict(exif) == {0x0112: 6} and not exif.get_ifd(0x8825)


@pytest.mark.parametrize("channel_name", REPEATABLE)
def test_files_with_nothing_to_remove_are_kept_byte_for_byte(app, channel_name):
    channel = CHANNELS[channel_name](app)
    sent = [(filename, make()) for filename, make in KEPT_AS_SENT]
    for filename, data in sent:
        response = channel.send(filename, data)
        assert channel.accepted(response), (filename, response.status_code, response.get_data(as_text=True)[:300])
    for row, (filename, data) in zip(channel.stored(), sent, strict=True):
        assert row.filename == filename and _on_disk(app, row) == data
        _served(channel, row, data)


def test_a_pdf_locked_only_against_editing_is_kept(app):
    """An owner password (printing or copying restricted) opens without a password: such a
    PDF is readable by everyone, so it is accepted, in AES and in RC4."""
    import pikepdf

    channel = CHANNELS["proposal attachments API"](app)
    for name, encryption in (("aes.pdf", pikepdf.Encryption(user="", owner="owner")),
                             ("rc4.pdf", pikepdf.Encryption(user="", owner="owner", R=3, aes=False, metadata=False))):
        with pikepdf.open(io.BytesIO(files.pdf_bytes(name))) as pdf:
            out = io.BytesIO()
            pdf.save(out, encryption=encryption)
        response = channel.send(name, out.getvalue())
        assert response.status_code == 201, response.get_json()
    locked = pdfs._edited_pdf(lambda pdf: None, encryption=pikepdf.Encryption(user="u", owner="o", R=3,
                                                                                 aes=False, metadata=False))
    refused = channel.send("rc4-locked.pdf", locked)
    assert refused.status_code == 422 and "password" in refused.get_json()["detail"]


def _on_disk(app, row) -> bytes:
    """The stored bytes, after checking where and how they are kept."""
    assert KEY.fullmatch(row.storage_key), row.storage_key
    path = _folder(app) / row.storage_key
    assert path.resolve().parent == _folder(app).resolve()
    data = path.read_bytes()
    assert row.sha256 == sha256_of(data) and row.size == len(data), row.filename
    return data


def _pages(pdf: bytes) -> None:
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 1


def _served(channel, row, kept: bytes):
    response = channel.download(row)
    assert response.status_code == 200, (row.filename, response.status_code)
    assert response.get_data() == kept, row.filename
    assert response.mimetype == row.media_type
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Security-Policy"].endswith("; sandbox")
    return response


@pytest.mark.parametrize("channel_name", list(CHANNELS))
def test_the_size_limit_holds_to_the_byte(app, channel_name):
    channel = CHANNELS[channel_name](app)
    at_limit, over = files.pdf_bytes("a"), files.pdf_bytes("ab")
    assert len(over) == len(at_limit) + 1
    app.config["MAX_UPLOAD_BYTES"] = len(at_limit)
    refused = channel.send("over.pdf", over)
    assert "the limit is" in channel.refusal(refused)
    if not channel.flashes:
        assert refused.status_code == 413
    assert channel.stored() == [] and _kept_files(app) == []
    assert channel.accepted(channel.send("at-limit.pdf", at_limit))
    assert [row.size for row in channel.stored()] == [len(at_limit)]


@pytest.mark.parametrize("channel_name", list(CHANNELS))
def test_a_body_beyond_the_request_limit_is_413_before_it_is_read(app, channel_name):
    channel = CHANNELS[channel_name](app)
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = channel.send("large.pdf", files.pdf_bytes("x" * 8000))
    assert response.status_code == 413
    if channel.api:
        assert response.mimetype == "application/problem+json"
    assert "too large" in (response.get_json()["detail"] if channel.api else response.get_data(as_text=True))
    assert channel.stored() == [] and _kept_files(app) == []


def test_a_pdf_whose_stream_unpacks_to_hundreds_of_megabytes_is_disarmed_without_unpacking(app):
    """Removing a script rewrites the PDF: its streams are copied packed, never inflated."""
    import pikepdf

    data, packed = pdfs.pdf_bomb_with_script()
    channel = CHANNELS["proposal attachments API"](app)
    assert channel.send("bomb.pdf", data).status_code == 201
    kept = _on_disk(app, channel.stored()[0])
    assert pdfs.pdf_activity(kept) == set() and len(kept) < len(data) + 4096
    with pikepdf.open(io.BytesIO(kept)) as pdf:
        assert pdf.pages[0].obj.Contents.read_raw_bytes() == packed


def test_a_blind_reviewers_copy_of_such_a_pdf_is_made_without_unpacking_it():
    import pikepdf

    from unscar.scrub import scrub

    data, packed = pdfs.pdf_bomb_with_script()
    with pikepdf.open(io.BytesIO(scrub(data, "application/pdf"))) as pdf:
        assert pdf.pages[0].obj.Contents.read_raw_bytes() == packed
