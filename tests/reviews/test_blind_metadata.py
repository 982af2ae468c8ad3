"""A blind reviewer's downloads carry no document metadata naming the applicant: not a PDF's
Info dictionary or XMP, not a Word file's properties, not a photo's EXIF, XMP or text, on
the web and through the API; the applicant and the staff still get the file as uploaded."""
import io
import zipfile

import pikepdf
import pytest
from PIL import Image
from sqlalchemy import select

from tests import files
from tests.factories import CallFactory, OrganisationFactory, make_user
from tests.helpers import bearer, web_login
from tests.bodies import budget_json, proposal_json
from tests.builders import proposals_under_review
from unscar.api.io import load
from unscar.extensions import db
from unscar.filecheck import inspect_upload
from unscar.proposals import services as proposals
from unscar.proposals.schemas import BudgetInSchema, ProposalInSchema
from unscar.reviews import assigning, panels
from unscar.reviews.models import Assignment
from unscar.screening import services as screening
from unscar.scrub import ScrubFailed, scrub

MARKER = "Zorblax"  # the organisation's name, written into every file's metadata
UPLOADS = {"workplan.pdf": files.pdf_naming(f"{MARKER} Foundation"),
           "narrative.docx": files.docx_naming(f"{MARKER} Foundation"),
           "photo.jpg": files.jpeg_naming(f"{MARKER} Foundation"),
           "map.png": files.png_naming(f"{MARKER} Foundation")}


def _world(blind: bool = True):
    organisation = OrganisationFactory(name="Applicant organisation")
    owner = make_user("applicant", organisation=organisation)
    staff = make_user("secretariat")
    call = CallFactory(blind_review=blind)
    proposal = proposals.create_proposal(owner, call, load(ProposalInSchema(), proposal_json()))
    proposals.replace_budget(owner, proposal, load(BudgetInSchema(), budget_json())["lines"])
    attachments = {name: proposals.add_attachment(owner, proposal, name, data) for name, data in UPLOADS.items()}
    proposals.submit_proposal(owner, proposal)
    screening.screen_proposal(staff, proposal, "eligible", "Eligible.")
    db.session.commit()
    proposals_under_review(1, call=call)
    reviewer = make_user("reviewer")
    panels.set_panel(staff, call, [reviewer.id])
    assigning.auto_assign(staff, call, per_proposal=1)
    panels.sign_declaration(reviewer, call)
    db.session.commit()
    assignment = db.session.scalar(select(Assignment).where(Assignment.proposal_id == proposal.id))
    return owner, staff, reviewer, assignment, {name: a.id for name, a in attachments.items()}


def _download(client, url: str, headers: dict | None = None):
    """The response, its file closed (stored files are streamed)."""
    with client.get(url, headers=headers or {}) as response:
        response.get_data()
    return response


def _everything_inside(data: bytes) -> str:
    """The raw bytes and every decompressed part: PDF streams and objects, the package's
    entries, the images' decoded text chunks and EXIF."""
    texts = [data.decode("latin-1")]
    if data.startswith(b"%PDF"):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for obj in pdf.objects:
                texts.append(repr(obj))
                if isinstance(obj, pikepdf.Stream):
                    texts.append(obj.read_bytes().decode("latin-1"))
            texts.append(repr(pdf.trailer))
    elif data.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            texts += [package.read(name).decode("utf-8", "replace") for name in package.namelist()]
    else:
        with Image.open(io.BytesIO(data)) as image:
            texts += [repr(image.info), repr(dict(image.getexif())), repr(image.getxmp())]
    return "\n".join(texts)


def _assert_anonymous(data: bytes, name: str) -> None:
    assert MARKER not in _everything_inside(data), f"{name} still names the applicant"
    assert inspect_upload(data) == inspect_upload(UPLOADS[name]), f"{name} is no longer a valid file"


def test_the_files_name_the_organisation_before_scrubbing():
    for name, data in UPLOADS.items():
        assert MARKER in _everything_inside(data), name


@pytest.mark.parametrize("channel", ["web", "api"])
def test_a_blind_reviewer_downloads_every_file_without_its_metadata(client, channel):
    _owner, _staff, reviewer, assignment, ids = _world()
    if channel == "web":
        web_login(client, reviewer.email)
        urls = {n: f"/reviews/assignments/{assignment.id}/attachments/{i}" for n, i in ids.items()}
        headers = {}
    else:
        urls = {n: f"/api/v1/attachments/{i}" for n, i in ids.items()}
        headers = bearer(client, reviewer)
    for name, url in urls.items():
        response = _download(client, url, headers)
        assert response.status_code == 200, (name, response.status_code)
        _assert_anonymous(response.get_data(), name)
        assert response.mimetype == inspect_upload(UPLOADS[name])
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("attachment") and name not in disposition
        assert assignment.proposal.reference in disposition


def test_what_is_kept_is_the_document_itself(client):
    _owner, _staff, reviewer, assignment, ids = _world()
    headers = bearer(client, reviewer)
    pdf = client.get(f"/api/v1/attachments/{ids['workplan.pdf']}", headers=headers).get_data()
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 1
    for name in ("photo.jpg", "map.png"):
        served = client.get(f"/api/v1/attachments/{ids[name]}", headers=headers).get_data()
        with Image.open(io.BytesIO(served)) as after, Image.open(io.BytesIO(UPLOADS[name])) as before:
            assert after.tobytes() == before.tobytes(), f"{name}'s pixels changed"
    docx = client.get(f"/api/v1/attachments/{ids['narrative.docx']}", headers=headers).get_data()
    with zipfile.ZipFile(io.BytesIO(docx)) as package, zipfile.ZipFile(io.BytesIO(UPLOADS["narrative.docx"])) as old:
        assert package.namelist() == old.namelist()
        assert package.read("word/document.xml") == old.read("word/document.xml")
        assert b"2026-01-05" in package.read("docProps/core.xml")  # dates say nothing of who


DOCUMENTS = ("workplan.pdf", "narrative.docx")


def test_the_applicant_and_the_staff_get_the_documents_as_uploaded(client):
    """Documents keep their properties for those who may know the applicant; photos lose
    their metadata for everyone, on upload (unscar/disarm.py)."""
    owner, staff, _reviewer, _assignment, ids = _world()
    for user in (owner, staff):
        headers = bearer(client, user)
        for name, attachment_id in ids.items():
            response = _download(client, f"/api/v1/attachments/{attachment_id}", headers)
            if name in DOCUMENTS:
                assert response.get_data() == UPLOADS[name], (user.email, name)
            else:
                _assert_anonymous(response.get_data(), name)
    web_login(client, owner.email)
    assert _download(client, f"/proposals/attachments/{ids['workplan.pdf']}").get_data() == UPLOADS["workplan.pdf"]


def test_a_reviewer_of_an_open_call_gets_the_file_as_uploaded(client):
    _owner, _staff, reviewer, assignment, ids = _world(blind=False)
    web_login(client, reviewer.email)
    response = _download(client, f"/reviews/assignments/{assignment.id}/attachments/{ids['narrative.docx']}")
    assert response.get_data() == UPLOADS["narrative.docx"]


def test_a_file_that_cannot_be_taken_apart_is_refused_not_served_as_it_came():
    with pytest.raises(ScrubFailed):
        scrub(UPLOADS["photo.jpg"][:200], "image/jpeg")
    with pytest.raises(ScrubFailed):
        scrub(UPLOADS["map.png"][:60], "image/png")
    with pytest.raises(ScrubFailed):
        scrub(b"%PDF-1.4 nothing else", "application/pdf")


def test_a_damaged_stored_file_is_refused_to_the_blind_reviewer_on_both_channels(client):
    _owner, _staff, reviewer, assignment, ids = _world()
    from unscar.files import stored_path
    from unscar.proposals.models import Attachment

    stored = db.session.get(Attachment, ids["photo.jpg"])
    stored_path(stored.storage_key).write_bytes(UPLOADS["photo.jpg"][:200])  # a disk fault, say
    api = _download(client, f"/api/v1/attachments/{stored.id}", bearer(client, reviewer))
    assert api.status_code == 409 and api.mimetype == "application/problem+json"
    web_login(client, reviewer.email)
    web = _download(client, f"/reviews/assignments/{assignment.id}/attachments/{stored.id}")
    assert web.status_code == 409 and MARKER not in web.get_data(as_text=True)


def test_the_api_gives_a_blind_reviewer_no_checksum_of_the_original(client):
    """A checksum would match the applicant's own copy, published elsewhere."""
    import hashlib

    _owner, _staff, reviewer, assignment, _ids = _world()
    detail = client.get(f"/api/v1/proposals/{assignment.proposal_id}", headers=bearer(client, reviewer))
    text = detail.get_data(as_text=True)
    assert detail.status_code == 200 and detail.get_json()["attachments"]
    for data in UPLOADS.values():
        assert hashlib.sha256(data).hexdigest() not in text
