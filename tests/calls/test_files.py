"""Uploaded files: media types judged by bytes, and download names (unscar/files.py)."""
import io
import zipfile

import pytest

from unscar import files


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


def test_download_names_follow_rfc_6266():
    header = files.content_disposition("Budget 2026 – “final”.xlsx")
    # An ASCII fallback without quotes for old clients, the exact name in filename*.
    assert header.startswith('attachment; filename="Budget 2026  final.xlsx";')
    assert header.endswith("filename*=UTF-8''Budget%202026%20%E2%80%93%20%E2%80%9Cfinal%E2%80%9D.xlsx")


def test_uploaded_names_lose_folders_and_control_characters():
    assert files.safe_filename("C:\\Users\\me\\..\\form\x00.pdf") == "form.pdf"
    assert files.safe_filename("../../etc/passwd") == "passwd"
    assert files.safe_filename("...") == "file"
