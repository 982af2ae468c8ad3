"""Hostile file names on every upload channel: paths that climb out of the folder, NUL and
control characters, a right-to-left override that disguises the extension, very long
names, Windows device names, names that try to break the download header, a name whose
extension lies about the content. The bytes are kept under a random key inside the
storage folder whatever the name; the name is kept cleaned, ends with the extension of
what the bytes are, and the download header carries it safely."""
import re
import unicodedata
from pathlib import Path
from urllib.parse import quote, unquote

import pytest

from tests import files
from tests.kernel.upload_channels import CHANNELS, REPEATABLE

# (name sent, name kept); None: whatever the multipart parser makes of it, kept safe.
NAMES = [
    ("../../etc/passwd", "passwd.pdf"),
    ("/etc/passwd", "passwd.pdf"),
    # In a quoted multipart parameter a backslash escapes the next character (RFC 2045):
    # what arrives has no backslashes left, and no folders either way.
    ("..\\..\\Windows\\win.ini", "Windowswin.ini.pdf"),
    ("C:\\Users\\me\\evil.pdf", "C_Usersmeevil.pdf"),
    ("a\x00b.pdf", None),
    ("\x1b[31mred\x07.pdf", "[31mred.pdf"),
    ("invoice\u202efdp.exe", "invoicefdp.exe.pdf"),  # shows as "invoiceexe.pdf" with the override
    ("zero\u200bwidth.pdf", "zerowidth.pdf"),
    ("x" * 1000 + ".pdf", "x" * 251 + ".pdf"),
    ("CON.pdf", "_CON.pdf"),
    ("nul", "_nul.pdf"),
    ("com1.report.pdf", "_com1.report.pdf"),
    ("LPT9", "_LPT9.pdf"),
    ("setup.pdf.exe", "setup.pdf.exe.pdf"),
    ("page.html", "page.html.pdf"),
    ("drawing.svg", "drawing.svg.pdf"),
    # Sent unescaped, the quotes end the parameter and a second filename follows: the parser
    # takes the last, and the PDF is still saved as a PDF.
    ('"quoted"; filename=evil.exe', "evil.exe.pdf"),
    ("<img src=x onerror=alert(1)>.pdf", "_img src=x onerror=alert(1)_.pdf"),
    ("..", "file.pdf"),
    (".htaccess", "htaccess.pdf"),
    ("Statuts signe\u0301s.pdf", "Statuts signés.pdf"),  # decomposed é, kept composed
    ("%2e%2e%2fsecret.pdf", "%2e%2e%2fsecret.pdf"),  # nothing decodes it: a name, not a path
]
WINDOWS_FORBIDDEN = set('<>:"|?*\\/')
KEY = re.compile(r"[0-9a-f]{32}")


def _safe(name: str) -> bool:
    return (0 < len(name) <= 255 and name.endswith(".pdf") and not set(name) & WINDOWS_FORBIDDEN
            and all(unicodedata.category(ch)[0] != "C" for ch in name) and not name.startswith("."))


@pytest.mark.parametrize("channel_name", REPEATABLE)
def test_hostile_names_are_kept_clean_and_the_bytes_stay_in_the_folder(app, tmp_path, channel_name):
    channel = CHANNELS[channel_name](app)
    for number, (name, _kept) in enumerate(NAMES):
        response = channel.send(name, files.pdf_bytes(f"name {number}"))
        assert channel.accepted(response), (name, response.status_code, response.get_data(as_text=True)[:300])
    rows = channel.stored()
    assert len(rows) == len(NAMES)
    for row, (name, kept) in zip(rows, NAMES):
        assert _safe(row.filename), (name, row.filename)
        if kept is not None:
            assert row.filename == kept, (name, row.filename)
        assert KEY.fullmatch(row.storage_key)
        _download_header_is_safe(channel, row)

    folder = Path(app.config["UPLOAD_FOLDER"]).resolve()
    assert sorted(p.name for p in folder.iterdir()) == sorted(row.storage_key for row in rows)
    written = {p.resolve() for p in tmp_path.rglob("*") if p.is_file()}
    outside = {p for p in written if folder not in p.parents and not p.name.startswith("test.sqlite3")}
    assert outside == set(), outside  # nothing landed beside the folder, whatever the name said

    if not channel.api:  # the page that lists the files shows the names as text, never as markup
        shown = channel.client.get(channel.form_page).get_data(as_text=True)
        assert "<img src=x" not in shown and "\u202e" not in shown


def _download_header_is_safe(channel, row) -> None:
    response = channel.download(row)
    assert response.status_code == 200, (row.filename, response.status_code)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and not re.search(r"[\x00-\x1f\x7f]", disposition)
    assert f"filename*=UTF-8''{quote(row.filename, safe='')}" in disposition
    exact = unquote(disposition.split("filename*=UTF-8''", 1)[1].split(";", 1)[0])
    assert exact == row.filename
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.mimetype == "application/pdf"


@pytest.mark.parametrize("channel_name", ["proposal attachments API", "report attachments API",
                                          "clarification answer API"])
def test_a_file_without_a_name_is_kept_as_file_with_its_extension(app, channel_name):
    channel = CHANNELS[channel_name](app)
    assert channel.accepted(channel.send("", files.png_bytes()))
    assert [row.filename for row in channel.stored()] == ["file.png"]


@pytest.mark.parametrize("channel_name", ["proposal attachments page", "report files page",
                                          "call templates page", "organisation documents page", "call templates API"])
def test_a_form_without_a_chosen_file_asks_for_one(app, channel_name):
    channel = CHANNELS[channel_name](app)
    response = channel.send("", files.pdf_bytes())
    assert not channel.accepted(response)
    message = channel.refusal(response)
    assert "Choose a file" in message or "Missing file" in message, message[:300]
    assert channel.stored() == []

