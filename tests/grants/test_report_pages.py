"""The reporting pages: the grantee files, corrects and revises; the secretariat reviews,
decides and reads its work list; form errors keep what was typed; the work list costs the
same whatever it holds."""
import io
from datetime import datetime, timedelta, timezone

import pytest

from tests import files
from tests.factories import make_user
from tests.grants.reporting import approved_grant, lines
from tests.helpers import csrf_from, post_form, web_login
from unscar.dates import freeze_clock
from unscar.extensions import db
from unscar.grants import reports, revisions
from unscar.grants.models import Report, ReportStatus, Revision


def _client(app, user):
    client = app.test_client()
    assert web_login(client, user.email).status_code == 302
    return client


@pytest.fixture
def grant_and_people(app):
    return approved_grant()


def _financial_form(rows: dict, start="2027-01-01", end="2027-10-01") -> dict:
    categories = ["staff", "contractual", "travel", "indirect"]  # the budget's, in the UN order
    data = {"period_start": start, "period_end": end}
    for i, category in enumerate(categories):
        data[f"lines-{i}-category"] = category
        data[f"lines-{i}-amount_usd"] = rows.get(category, "")
    return data


def test_the_grantee_files_a_financial_report(app, grant_and_people):
    grant, grantee, _staff = grant_and_people
    client = _client(app, grantee)
    url = f"/grants/{grant.id}/reports/financial/new"
    page = client.get(url).get_data(as_text=True)
    assert "1. Staff and other personnel" in page and "Indirect support costs" in page
    response = post_form(client, url, _financial_form({"staff": "4,500.00", "travel": "5000"}), follow_redirects=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "is filed" in text and "reallocation threshold" in text  # travel over
    report = db.session.scalars(db.select(Report).where(Report.status == ReportStatus.submitted)).one()
    assert {line.category.value: str(line.amount_usd) for line in report.lines} == {"staff": "4500.00",
                                                                                  "travel": "5000.00"}


def test_form_errors_keep_what_was_typed(app, grant_and_people):
    grant, grantee, _staff = grant_and_people
    client = _client(app, grantee)
    url = f"/grants/{grant.id}/reports/financial/new"
    response = post_form(client, url, _financial_form({"staff": "-3", "travel": "12.5"}, start="2026-01-01"))
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "may not be negative" in text and 'value="12.50"' in text
    response = post_form(client, url, _financial_form({"travel": "12.5"}, start="2026-01-01"))
    assert response.status_code == 422 and "inside the grant" in response.get_data(as_text=True)
    assert 'value="2026-01-01"' in response.get_data(as_text=True)


def test_a_tampered_category_is_an_error_beside_its_row(app, grant_and_people):
    grant, grantee, _staff = grant_and_people
    client = _client(app, grantee)
    url = f"/grants/{grant.id}/reports/financial/new"
    data = _financial_form({"staff": "1"})
    data["lines-0-category"] = "equipment"
    response = post_form(client, url, data)
    assert response.status_code == 422 and "Not a category of this grant" in response.get_data(as_text=True)


def test_the_grantee_files_a_narrative_report_with_a_file(app, grant_and_people):
    grant, grantee, _staff = grant_and_people
    client = _client(app, grantee)
    url = f"/grants/{grant.id}/reports/narrative/new"
    page = client.get(url).get_data(as_text=True)
    assert "Officers certified" in page
    data = {"csrf_token": csrf_from(page), "period_start": "2027-01-01", "period_end": "2027-10-01",
            "text": "Two trainings held.", "indicators-0-indicator": "Officers certified",
            "indicators-0-value": "18", "files": (io.BytesIO(files.pdf_bytes("list")), "attendance.pdf")}
    response = client.post(url, data=data, content_type="multipart/form-data", follow_redirects=True)
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and "attendance.pdf" in text and "18" in text


def test_others_cannot_reach_the_grantee_forms(app, grant_and_people):
    grant, _grantee, _staff = grant_and_people
    assert _client(app, make_user("applicant")).get(f"/grants/{grant.id}/reports/financial/new").status_code == 404
    assert _client(app, make_user("donor")).get(f"/grants/{grant.id}/revisions/new").status_code == 403
    assert _client(app, make_user("reviewer")).get(f"/grants/{grant.id}").status_code == 403
    assert _client(app, make_user("applicant")).get(f"/grants/{grant.id}").status_code == 404


def test_the_secretariat_returns_and_the_grantee_reads_the_comment_and_corrects(app, grant_and_people):
    grant, grantee, staff = grant_and_people
    report = reports.file_financial_report(grantee, grant, grant.start_date, grant.reports[0].period_end,
                                           lines(staff="100.00"))
    db.session.commit()
    staff_client = _client(app, staff)
    url = f"/grants/reports/{report.id}"
    missing = post_form(staff_client, f"{url}/review", {"decision": "returned", "comment": ""}, page=url)
    assert missing.status_code == 422 and "required" in missing.get_data(as_text=True)
    post_form(staff_client, f"{url}/review", {"decision": "returned", "comment": "Add the receipts."}, page=url)
    client = _client(app, grantee)
    page = client.get(url).get_data(as_text=True)
    assert "Add the receipts." in page and "Correct and file again" in page and "Record the review" not in page
    correct = f"{url}/correct"
    assert 'value="100.00"' in client.get(correct).get_data(as_text=True)
    response = post_form(client, correct, _financial_form({"staff": "90"}), follow_redirects=True)
    assert response.status_code == 200
    db.session.refresh(report)
    assert report.status is ReportStatus.submitted


def test_the_secretariat_decides_a_revision_from_its_page(app, grant_and_people):
    grant, grantee, staff = grant_and_people
    client = _client(app, grantee)
    url = f"/grants/{grant.id}/revisions/new"
    form = client.get(url).get_data(as_text=True)
    assert 'value="54000.00"' in form
    data = {f"lines-{i}-category": c for i, c in enumerate(["staff", "supplies", "equipment", "contractual",
                                                              "travel", "transfers", "general_operating",
                                                              "indirect"])}
    data.update({"lines-0-budget_usd": "60000", "lines-3-budget_usd": "30000.00", "lines-4-budget_usd": "4321.00",
                 "lines-7-budget_usd": "5000.00", "reason": "More staff."})
    grows = post_form(client, url, data)
    assert grows.status_code == 422 and "would exceed the current total" in grows.get_data(as_text=True)
    assert 'value="60,000.00"' in grows.get_data(as_text=True)
    data.update({"lines-0-budget_usd": "50000", "lines-2-budget_usd": "4000", "end_date": "2028-12-31"})
    response = post_form(client, url, data, follow_redirects=True)
    assert response.status_code == 200 and "sent to the secretariat" in response.get_data(as_text=True)
    revision = db.session.scalars(db.select(Revision)).one()
    assert {line.category.value for line in revision.lines} == {"staff", "equipment"}
    staff_client = _client(app, staff)
    page_url = f"/grants/revisions/{revision.id}"
    done = post_form(staff_client, f"{page_url}/decision", {"decision": "approved"}, page=page_url,
                     follow_redirects=True)
    assert "approved" in done.get_data(as_text=True)
    db.session.refresh(grant)
    assert str(grant.end_date) == "2028-12-31"


def test_the_work_list_shows_each_section_in_bounded_queries(app, count_statements):
    approved_grant()
    freeze_clock(datetime(2027, 9, 25, tzinfo=timezone.utc))
    try:
        client = _client(app, make_user("secretariat"))
        with count_statements() as few:
            page = client.get("/grants/work").get_data(as_text=True)
        assert 'data-testid="due_soon-total">2<' in page and "Grants work list" in page
        for _ in range(3):
            grant, grantee, _staff = approved_grant()
            reports.file_financial_report(grantee, grant, grant.start_date, grant.end_date, lines(staff="1"))
            revisions.request_revision(grantee, grant, [], grant.end_date + timedelta(days=90), "Delay.")
            db.session.commit()
        with count_statements() as many:
            page = client.get("/grants/work").get_data(as_text=True)
        assert 'data-testid="awaiting_review-total">3<' in page and 'data-testid="pending_revisions-total">3<' in page
        assert len(many) == len(few)
    finally:
        freeze_clock(None)


def test_the_work_list_is_the_staffs(app):
    assert _client(app, make_user("donor")).get("/grants/work").status_code == 403
    assert 'href="/grants/work"' in _client(app, make_user("secretariat")).get("/").get_data(as_text=True)
