"""Uploaded files: media types judged by bytes, and download names (unscar/files.py)."""
import io
import zipfile

import pytest
from sqlalchemy import text

from unscar import files
from unscar.extensions import db


def ooxml(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(main_part, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize("data, media_type", [
    (b"%PDF-1.7\n...", files.PDF),
    (ooxml("word/document.xml"), files.DOCX),
    (ooxml("xl/workbook.xml"), files.XLSX),
    (b"\x89PNG\r\n\x1a\n....", files.PNG),
    (b"MZ\x90\x00", None),
    (b"PK\x03\x04 truncated zip", None),
    (ooxml("content.xml"), None),
    (b"", None),
])
def test_media_types_are_judged_by_their_bytes(data, media_type):
    assert files.sniff_media_type(data) == media_type


def test_download_names_follow_rfc_6266(app):
    with app.test_request_context():
        key = files.store_bytes(b"%PDF-1.4")
        response = files.send_stored(key, "Budget 2026 – “final”.pdf", files.PDF, "0" * 64)
        header = response.headers["Content-Disposition"]
        response.close()
    # An ASCII fallback for old clients, the exact name in filename*.
    assert header.startswith("attachment; filename=") and "Budget 2026" in header.split(";")[1]
    assert header.endswith("filename*=UTF-8''Budget%202026%20%E2%80%93%20%E2%80%9Cfinal%E2%80%9D.pdf")


def test_uploaded_names_lose_folders_and_control_characters():
    assert files.safe_filename("C:\\Users\\me\\..\\form\x00.pdf") == "form.pdf"
    assert files.safe_filename("../../etc/passwd") == "passwd"
    assert files.safe_filename("...") == "file"


def test_stored_bytes_live_and_die_with_their_transaction(app):
    """A failed request leaves no orphan file, and a deletion that is rolled back keeps the
    file its row still names."""
    with app.app_context():
        db.session.execute(text("SELECT 1"))  # a transaction is open, as in every request
        orphan = files.store_bytes(b"written, then rolled back")
        db.session.rollback()
        assert not files.stored_path(orphan).exists()
        db.session.execute(text("SELECT 1"))
        kept = files.store_bytes(b"written and committed")
        db.session.commit()
        assert files.stored_path(kept).exists()
        db.session.execute(text("SELECT 1"))
        files.delete_stored(kept)
        assert files.stored_path(kept).exists()  # not before the commit
        db.session.rollback()
        assert files.stored_path(kept).exists()
        db.session.execute(text("SELECT 1"))
        files.delete_stored(kept)
        db.session.commit()
        assert not files.stored_path(kept).exists()
