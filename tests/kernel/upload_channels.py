"""Every place the application takes a file, driven as its user would: the page form (with
its CSRF token) or the API (a bearer token), with what it stored and how it serves it.

Each channel is made on the test's application with `CHANNELS[name](app)`, then
`send(filename, data)` answers the response a person or client sees (a page that
refuses by flashing after a redirect is followed), `refusal(response)` the message it
shows when it refuses, `stored()` the rows it kept and `download(row)` the download."""
import html
import io
import re

from sqlalchemy import select
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from tests.factories import CallFactory, ClarificationFactory, ProposalFactory, make_user
from tests.grants.reporting import approved_grant, lines
from tests.helpers import bearer, csrf_from, web_login
from unscar.accounts.documents import OrganisationDocument
from unscar.calls.models import CallTemplate
from unscar.extensions import db
from unscar.grants import reports
from unscar.grants.models import Report, ReportAttachment
from unscar.proposals.models import Attachment

_TAGS = re.compile(r"<[^>]+>")


def page_text(response) -> str:
    return html.unescape(_TAGS.sub(" ", response.get_data(as_text=True)))


def _file(data: bytes, filename: str) -> FileStorage:
    return FileStorage(io.BytesIO(data), filename=filename, content_type="application/octet-stream")


class Channel:
    api = False
    documents_only = False  # call templates: PDF, DOCX and XLSX only
    flashes = False  # refuses by redirecting to a page with the message (post/redirect/get)

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        self.setup()
        db.session.commit()

    def setup(self):
        raise NotImplementedError

    def sign_in(self, user):
        if self.api:
            self.headers = bearer(self.client, user)
        else:
            assert web_login(self.client, user.email).status_code == 302
            self.headers = {}
            self.token = csrf_from(self.client.get(self.form_page).get_data(as_text=True))

    def fields(self, filename: str, data: bytes) -> dict:
        return {"file": _file(data, filename)}

    def send(self, filename: str, data: bytes):
        fields = self.fields(filename, data)
        if not self.api:
            fields["csrf_token"] = self.token
        # Encoded here, in memory: the test client spools a large body to a temporary file
        # it never closes.
        boundary, body = encode_multipart(MultiDict([(k, v) for k, vs in fields.items()
                                                     for v in (vs if isinstance(vs, list) else [vs])]))
        response = self.client.post(self.url, data=body, headers=self.headers,
                                    content_type=f"multipart/form-data; boundary={boundary}")
        if self.flashes and response.status_code == 302:
            response.close()
            return self.client.get(response.headers["Location"])
        return response

    def refusal(self, response) -> str:
        """The message a refused upload shows; fails when the answer is not a refusal."""
        if self.api:
            assert 400 <= response.status_code < 500, (self.name, response.status_code)
            assert response.mimetype == "application/problem+json", (self.name, response.mimetype)
            body = response.get_json()
            return " ".join([body["detail"], *sum((body.get("errors") or {}).values(), [])])
        if not self.flashes:
            assert 400 <= response.status_code < 500, (self.name, response.status_code)
        return page_text(response)

    def accepted(self, response) -> bool:
        if self.api:
            return response.status_code in (200, 201)
        if self.flashes:
            return response.status_code == 200 and "alert-danger" not in response.get_data(as_text=True)
        return response.status_code == 302

    def stored(self) -> list:
        return list(db.session.scalars(self.rows().order_by(self.model.id)))

    def download(self, row):
        response = self.client.get(self.download_url(row), headers=self.headers)
        response.get_data()
        response.close()
        return response


class ProposalPage(Channel):
    name, model = "proposal attachments page", Attachment

    def setup(self):
        owner = make_user("applicant")
        self.proposal = ProposalFactory(owner=owner)
        self.url = self.form_page = f"/proposals/{self.proposal.id}/attachments"
        self.sign_in(owner)

    def rows(self):
        return select(Attachment).where(Attachment.proposal_id == self.proposal.id,
                                        Attachment.clarification_id.is_(None))

    def download_url(self, row):
        return f"/proposals/attachments/{row.id}"


class ProposalApi(ProposalPage):
    name, api = "proposal attachments API", True

    def setup(self):
        super().setup()
        self.url = f"/api/v1/proposals/{self.proposal.id}/attachments"

    def download_url(self, row):
        return f"/api/v1/attachments/{row.id}"


class AnswerPage(Channel):
    name, model = "clarification answer page", Attachment

    def setup(self):
        owner = make_user("applicant")
        self.clarification = ClarificationFactory(proposal=ProposalFactory(owner=owner, submitted=True))
        self.url = self.form_page = f"/screening/clarifications/{self.clarification.id}/answer"
        self.sign_in(owner)

    def fields(self, filename, data):
        return {"answer": "The statutes are attached.", "files": [_file(data, filename)]}

    def rows(self):
        return select(Attachment).where(Attachment.clarification_id == self.clarification.id)

    def download_url(self, row):
        return f"/proposals/attachments/{row.id}"


class AnswerApi(AnswerPage):
    name, api = "clarification answer API", True

    def setup(self):
        super().setup()
        self.url = f"/api/v1/clarifications/{self.clarification.id}/attachments"

    def fields(self, filename, data):
        return {"file": _file(data, filename)}

    def download_url(self, row):
        return f"/api/v1/attachments/{row.id}"


class ReportPage(Channel):
    name, model = "report files page", ReportAttachment

    def setup(self):
        grant, grantee, _staff = approved_grant()
        self.grant, self.grantee = grant, grantee
        self.report = reports.file_financial_report(grantee, grant, grant.start_date, grant.reports[0].period_end,
                                                    lines(staff="100.00"))
        db.session.commit()
        self.url = f"/grants/reports/{self.report.id}/files"
        self.form_page = f"/grants/reports/{self.report.id}"
        self.sign_in(grantee)

    def rows(self):
        return select(ReportAttachment).join(Report).where(Report.grant_id == self.grant.id)

    def download_url(self, row):
        return f"/grants/reports/files/{row.id}"


class ReportApi(ReportPage):
    """The API takes a report's files but has no download of them: they are read on the web."""

    name, api = "report attachments API", True

    def setup(self):
        super().setup()
        self.url = f"/api/v1/reports/{self.report.id}/attachments"
        self.web = self.app.test_client()
        assert web_login(self.web, self.grantee.email).status_code == 302

    def download(self, row):
        response = self.web.get(self.download_url(row))
        response.get_data()
        response.close()
        return response


class ReportFilingPage(ReportPage):
    """The narrative report's filing form, its files sent with it: a refusal files nothing."""

    name = "narrative report filing page"

    def setup(self):
        grant, grantee, _staff = approved_grant()
        self.grant = grant
        self.url = self.form_page = f"/grants/{grant.id}/reports/narrative/new"
        self.sign_in(grantee)

    def fields(self, filename, data):
        return {"period_start": "2027-01-01", "period_end": "2027-10-01", "text": "Two trainings held.",
                "indicators-0-indicator": "Officers certified", "indicators-0-value": "18",
                "files": [_file(data, filename)]}

    def filed(self) -> int:
        return len(db.session.scalars(select(Report).where(Report.grant_id == self.grant.id,
                                                           Report.submitted_at.is_not(None))).all())


class TemplatePage(Channel):
    name, model, documents_only, flashes = "call templates page", CallTemplate, True, True

    def setup(self):
        self.call = CallFactory()
        self.url = f"/calls/{self.call.id}/templates"
        self.form_page = f"/calls/{self.call.id}"
        self.sign_in(make_user("secretariat"))

    def rows(self):
        return select(CallTemplate).where(CallTemplate.call_id == self.call.id)

    def download_url(self, row):
        return f"/calls/{self.call.id}/templates/{row.id}"


class TemplateApi(TemplatePage):
    name, api, flashes = "call templates API", True, False

    def setup(self):
        super().setup()
        self.url = f"/api/v1/calls/{self.call.id}/templates"

    def download_url(self, row):
        return f"/api/v1/calls/{self.call.id}/templates/{row.id}"


class DocumentPage(Channel):
    name, model, flashes = "organisation documents page", OrganisationDocument, True

    def setup(self):
        owner = make_user("applicant")
        self.organisation_id = owner.organisation_id
        self.url, self.form_page = "/organisation/documents", "/organisation"
        self.sign_in(owner)

    def rows(self):
        return select(OrganisationDocument).where(OrganisationDocument.organisation_id == self.organisation_id)

    def download_url(self, row):
        return f"/organisation/documents/{row.id}"


CHANNELS = {channel.name: channel for channel in (
    ProposalPage, ProposalApi, AnswerPage, AnswerApi, ReportPage, ReportApi, ReportFilingPage, TemplatePage,
    TemplateApi, DocumentPage)}
# The channels that take many files in a row (a filing form files one report).
REPEATABLE = [name for name in CHANNELS if name != ReportFilingPage.name]
