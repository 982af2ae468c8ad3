"""The audit log and the outbox as people read them: changes as a table of fields, pages
clamped to the last one, the scrolling table reachable by keyboard, mail newest first."""
import re
from datetime import timedelta

from tests.factories import make_user
from tests.helpers import web_login
from unscar.admin.changes import Change, changed_fields
from unscar.audit.services import record_event
from unscar.dates import utcnow
from unscar.extensions import db
from unscar.outbox.models import OutboxMessage


def _staff(client):
    staff = make_user("secretariat")
    web_login(client, staff.email)
    return staff


def test_changed_fields_lists_what_differs_in_words():
    assert changed_fields({"status": "draft", "title": "A"}, {"status": "open", "title": "A"}) == [
        Change("Status", "draft", "open")]
    assert changed_fields(None, {"countries": ["KEN", "UGA"], "verified": True, "min_share": {"region:Africa": 0.25}}) == [
        Change("Countries", "", "KEN, UGA"), Change("Verified", "", "yes"),
        Change("Min share", "", "region:Africa: 0.25")]
    assert changed_fields({"name": "Old"}, None) == [Change("Name", "Old", "")]
    assert changed_fields(None, None) == []


def test_the_audit_log_shows_changes_as_a_table_not_json(client):
    staff = _staff(client)
    record_event(staff, "call.opened", object_type="calls", before={"status": "draft"},
                 after={"status": "open", "closes_at": "2027-03-01T12:00:00+00:00"})
    db.session.commit()
    page = client.get("/audit/?action=call.opened").get_data(as_text=True)
    assert "<pre>" not in page and "{&#34;" not in page and '{"status"' not in page
    changes = page[page.index('data-testid="changes"'):]
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", changes[:changes.index("</table>")])
    assert cells[:3] == ["Field", "Before", "After"]
    assert cells[3:6] == ["Status", "draft", "open"] and cells[6:9] == ["Closes at", "", "2027-03-01T12:00:00+00:00"]


def test_the_audit_table_is_a_labelled_region_reached_by_keyboard(client):
    _staff(client)
    page = client.get("/audit/").get_data(as_text=True)
    region = re.search(r'<div class="table-responsive"[^>]*data-testid="audit-region"', page).group(0)
    assert 'tabindex="0"' in region and 'role="region"' in region and 'aria-label="Audit events' in region


def test_a_page_past_the_last_is_clamped_to_the_last(client):
    staff = _staff(client)
    for n in range(60):
        record_event(staff, "test.event", object_type="things", after={"n": n})
    db.session.commit()
    last = client.get("/audit/?action=test.&page=9999")
    assert last.status_code == 302 and last.headers["Location"].endswith("/audit/?action=test.&page=2")
    page = client.get(last.headers["Location"]).get_data(as_text=True)
    assert "Page 2 of 2" in page and "9999" not in page
    nothing = client.get("/audit/?action=nothing&page=5")
    assert nothing.status_code == 302 and nothing.headers["Location"].endswith("page=1")
    assert client.get("/audit/?page=0").status_code == 200 and client.get("/audit/?page=x").status_code == 200


def _message(subject: str, queued) -> OutboxMessage:
    return OutboxMessage(to_address="someone@example.org", subject=subject, body="Hello", display_body="Hello",
                         created_at=queued, next_attempt_at=queued)


def test_the_outbox_lists_mail_newest_first_and_in_pages(client):
    _staff(client)
    now = utcnow()
    # Written in an order that is not the order in time (an import, a backdated demo).
    db.session.add_all([_message("Middle", now - timedelta(days=1)), _message("Newest", now),
                        _message("Oldest", now - timedelta(days=9))])
    db.session.add_all([_message(f"Bulk {n}", now - timedelta(days=2, minutes=n)) for n in range(50)])
    db.session.commit()
    first = client.get("/outbox/").get_data(as_text=True)
    subjects = re.findall(r"<summary>([^<]+)</summary>", first)
    assert subjects[:3] == ["Newest", "Middle", "Bulk 0"] and len(subjects) == 50 and "Page 1 of 2" in first
    second = client.get("/outbox/?page=2").get_data(as_text=True)
    assert re.findall(r"<summary>([^<]+)</summary>", second) == ["Bulk 48", "Bulk 49", "Oldest"]
    clamped = client.get("/outbox/?page=40")
    assert clamped.status_code == 302 and clamped.headers["Location"].endswith("page=2")
