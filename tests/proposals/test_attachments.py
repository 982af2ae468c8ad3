"""Attachments judged by their bytes, kept outside static/, served only to those who may see them."""
import io
from pathlib import Path
from urllib.parse import quote

import pytest

from tests import files
from tests.bodies import proposal_json
from tests.factories import CallFactory, make_user
from tests.helpers import bearer
from unscar.extensions import db
from unscar.proposals.models import Attachment


@pytest.fixture
def owner(app):
    return make_user("applicant")


@pytest.fixture
def draft(client, owner):
    call = CallFactory()
    response = client.post(f"/api/v1/calls/{call.id}/proposals", json=proposal_json(),
                           headers=bearer(client, owner))
    return response.get_json()


def _upload(client, headers, proposal_id, data: bytes, name: str):
    return client.post(f"/api/v1/proposals/{proposal_id}/attachments", headers=headers,
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


@pytest.mark.parametrize("maker, name, media_type", [
    (files.pdf_bytes, "workplan.pdf", "application/pdf"),
    (files.docx_bytes, "narrative.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    (files.xlsx_bytes, "budget.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (files.png_bytes, "logo.png", "image/png"),
    (files.jpeg_bytes, "photo.jpg", "image/jpeg"),
])
def test_accepted_files_are_typed_by_their_bytes(client, owner, draft, maker, name, media_type, app):
    headers = bearer(client, owner)
    data = maker()
    response = _upload(client, headers, draft["id"], data, name)
    body = response.get_json()
    assert response.status_code == 201, body
    assert body["media_type"] == media_type and body["size"] == len(data) and len(body["sha256"]) == 64
    stored = db.session.get(Attachment, body["id"])
    path = Path(app.config["UPLOAD_FOLDER"]) / stored.storage_key
    assert path.read_bytes() == data and "static" not in str(path)
    with client.get(f"/api/v1/attachments/{body['id']}", headers=headers) as download:
        assert download.status_code == 200 and download.data == data


@pytest.mark.parametrize("data, name, expected", [
    (files.EXECUTABLE, "report.pdf", "not accepted"),
    (files.pdf_bytes()[:-60], "truncated.pdf", "incomplete"),
    (files.plain_zip_bytes(), "renamed.docx", "not accepted"),
    (files.docm_bytes(), "macro.docm", "macros"),
    (files.docm_bytes(), "macro-in-disguise.docx", "macros"),
    (files.png_bytes()[:40], "cut.png", "damaged"),
    (b"", "empty.pdf", "empty"),
    (b"<html><script>alert(1)</script></html>", "page.html", "not accepted"),
])
def test_hostile_files_are_refused_with_a_clear_message(client, owner, draft, data, name, expected, app):
    response = _upload(client, bearer(client, owner), draft["id"], data, name)
    assert response.status_code == 422
    assert expected in response.get_json()["errors"]["file"][0]
    folder = Path(app.config["UPLOAD_FOLDER"])
    assert not folder.exists() or not any(folder.iterdir())  # nothing refused is kept


def test_an_oversized_upload_is_413(make_app, client):
    small = make_app(MAX_UPLOAD_BYTES=1000)
    small_client = small.test_client()
    with small.app_context():
        owner = make_user("applicant")
        call = CallFactory()
        headers = bearer(small_client, owner)
        draft = small_client.post(f"/api/v1/calls/{call.id}/proposals", json={}, headers=headers).get_json()
        response = _upload(small_client, headers, draft["id"], files.pdf_bytes() + b"%" * 2000, "big.pdf")
    assert response.status_code == 413
    assert "limit" in response.get_json()["detail"]


def test_the_original_unicode_name_comes_back_per_rfc_6266(client, owner, draft):
    headers = bearer(client, owner)
    name = "Plan d'activités — 行动计划 (v2).pdf"
    body = _upload(client, headers, draft["id"], files.pdf_bytes(), name).get_json()
    assert body["filename"] == name
    with client.get(f"/api/v1/attachments/{body['id']}", headers=headers) as download:
        disposition = download.headers["Content-Disposition"]
    assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition
    assert disposition.startswith("attachment; filename=\"")


def test_a_name_with_folders_keeps_only_the_name(client, owner, draft):
    body = _upload(client, bearer(client, owner), draft["id"], files.pdf_bytes(), "../../etc/passwd.pdf").get_json()
    assert body["filename"] == "passwd.pdf"


@pytest.mark.parametrize("role", ["applicant", "reviewer", "donor"])
def test_others_cannot_fetch_or_delete_an_attachment(client, owner, draft, role):
    attachment = _upload(client, bearer(client, owner), draft["id"], files.pdf_bytes(), "a.pdf").get_json()
    other = bearer(client, make_user(role))
    assert client.get(f"/api/v1/attachments/{attachment['id']}", headers=other).status_code == 404
    assert client.delete(f"/api/v1/attachments/{attachment['id']}", headers=other).status_code in (403, 404)


def test_the_secretariat_can_fetch_but_not_delete(client, owner, draft):
    attachment = _upload(client, bearer(client, owner), draft["id"], files.pdf_bytes(), "a.pdf").get_json()
    staff = bearer(client, make_user("secretariat"))
    with client.get(f"/api/v1/attachments/{attachment['id']}", headers=staff) as download:
        assert download.status_code == 200
    assert client.delete(f"/api/v1/attachments/{attachment['id']}", headers=staff).status_code == 403


def test_a_drafts_attachment_can_be_deleted_but_not_after_submission(client, owner, draft, app):
    headers = bearer(client, owner)
    attachment = _upload(client, headers, draft["id"], files.pdf_bytes(), "a.pdf").get_json()
    key = db.session.get(Attachment, attachment["id"]).storage_key
    assert client.delete(f"/api/v1/attachments/{attachment['id']}", headers=headers).status_code == 204
    assert not (Path(app.config["UPLOAD_FOLDER"]) / key).exists()
    assert client.get(f"/api/v1/attachments/{attachment['id']}", headers=headers).status_code == 404


def test_upload_without_a_file_field_is_400(client, owner, draft):
    response = client.post(f"/api/v1/proposals/{draft['id']}/attachments", headers=bearer(client, owner),
                           data={"other": "x"}, content_type="multipart/form-data")
    assert response.status_code == 400
