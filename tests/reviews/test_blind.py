"""Blind review that does not leak: a reviewer of a blind call can reach nothing that names
the applicant organisation, by any channel (pages, API, file names, history, e-mail)."""
import re
from urllib.parse import urljoin, urlsplit

from sqlalchemy import select

from tests.builders import proposals_under_review
from tests.factories import CallFactory, OrganisationFactory, ProposalFactory, make_user
from tests.helpers import bearer, web_login
from unscar.extensions import db
from unscar.outbox.models import OutboxMessage
from unscar.reviews import assigning, panels

MARKER = "Qvxzt"  # in the organisation's name, its members' names and e-mails, its file names


def _blind_world(client):
    organisation = OrganisationFactory(name=f"{MARKER} Institute for Disarmament", country="GHA")
    owner = make_user("applicant", organisation=organisation, name=f"Ama {MARKER}",
                      email=f"ama@{MARKER.lower()}.example.org")
    call = CallFactory(blind_review=True)
    proposal = ProposalFactory(call=call, owner=owner, under_review=True, attachments=[f"{MARKER} workplan.pdf"],
                               title="Marking and tracing in West Africa", countries=["GHA"])
    proposals_under_review(2, call=call)  # the rest of the call; it ends in review
    staff = make_user("secretariat")
    reviewer = make_user("reviewer", name="Neutral Reviewer")
    panels.set_panel(staff, call, [reviewer.id])
    assigning.auto_assign(staff, call, per_proposal=1)
    panels.sign_declaration(reviewer, call)
    db.session.commit()
    return reviewer, proposal


def _assert_clean(text: str, where: str) -> None:
    assert MARKER.lower() not in text.lower(), f"the organisation leaks through {where}"


def test_the_api_never_names_the_applicant_to_a_blind_reviewer(client):
    reviewer, proposal = _blind_world(client)
    headers = bearer(client, reviewer)
    urls = ["/api/v1/me", "/api/v1/assignments", "/api/v1/proposals", f"/api/v1/proposals/{proposal.id}",
            f"/api/v1/proposals?call_id={proposal.call_id}", f"/api/v1/calls/{proposal.call_id}", "/api/v1/calls"]
    for url in urls:
        response = client.get(url, headers=headers)
        assert response.status_code == 200, url
        _assert_clean(response.get_data(as_text=True), url)
    detail = client.get(f"/api/v1/proposals/{proposal.id}", headers=headers).get_json()
    assert "organisation_id" not in detail
    for attachment in detail["attachments"]:
        with client.get(f"/api/v1/attachments/{attachment['id']}", headers=headers) as download:
            assert download.status_code == 200
            _assert_clean(str(download.headers), "an attachment's headers")
            _assert_clean(download.get_data().decode("latin-1"), "an attachment's bytes")
        assert attachment["filename"] == f"{proposal.reference}-attachment-1.pdf"


def test_the_staff_still_see_who_applied(client):
    _reviewer, proposal = _blind_world(client)
    detail = client.get(f"/api/v1/proposals/{proposal.id}", headers=bearer(client, make_user("secretariat")))
    assert detail.get_json()["organisation_id"] == proposal.organisation_id
    assert MARKER in detail.get_json()["attachments"][0]["filename"]


def test_no_mail_to_the_reviewer_names_the_applicant(client):
    reviewer, _proposal = _blind_world(client)
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == reviewer.email)).all()
    assert mails, "the reviewer was told of the assignment"
    for mail in mails:
        _assert_clean(mail.subject + mail.body, f"the e-mail {mail.subject!r}")


_HREF = re.compile(r'(?:href|action|src)="([^"#]+)"')


def test_no_page_the_reviewer_can_reach_names_the_applicant(client):
    """Follow every link a blind reviewer's pages offer, as far as they go."""
    reviewer, proposal = _blind_world(client)
    web_login(client, reviewer.email)
    seen, queue = set(), ["/", "/reviews/", f"/proposals/{proposal.id}", "/calls/", "/proposals/"]
    while queue and len(seen) < 150:
        url = queue.pop(0)
        if url in seen or url.startswith("/static/") or "logout" in url:
            continue
        seen.add(url)
        with client.get(url) as response:
            body = response.get_data().decode("utf-8", "replace")
            _assert_clean(body + str(response.headers), f"the page {url}")
        if response.mimetype == "text/html":
            for link in _HREF.findall(body):
                target = urljoin(url, link.replace("&amp;", "&"))
                if not urlsplit(target).netloc and target not in seen:
                    queue.append(target)
    assert f"/proposals/{proposal.id}" in seen
    assert any(url.startswith("/reviews/assignments/") for url in seen), sorted(seen)
