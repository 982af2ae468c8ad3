"""The audit log: one event per change, in the change's transaction, append-only."""
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError

from tests.factories import PASSWORD, OrganisationFactory, make_user
from tests.helpers import bearer, post_form, web_login
from unscar.accounts import admin, services
from unscar.audit.models import AuditEvent
from unscar.extensions import db


def _events() -> list[str]:
    return db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()


@pytest.mark.parametrize("change, action", [
    (lambda: services.register_organisation("Org", "ngo", "KEN", None, "new@example.org", "long password!", "N"),
     "organisation.registered"),
    (lambda: services.create_user(None, "staff@example.org", "Staff", "long password!", ["secretariat"]),
     "user.created"),
    (lambda: services.change_password(make_user("donor"), PASSWORD, "another long one"), "password.changed"),
    (lambda: services.request_password_reset(make_user("donor").email), "password.reset_requested"),
    (lambda: admin.update_me(make_user("donor"), {"name": "New Name", "timezone": "Africa/Nairobi"}), "profile.updated"),
    (lambda: services.issue_token(make_user("donor")), "token.issued"),
])
def test_each_service_change_writes_exactly_one_event(app, change, action):
    before = len(_events())
    change()
    db.session.commit()
    events = _events()
    assert events[before:] == [action]


def test_member_changes_are_audited_with_their_actor(app):
    member = make_user("applicant")
    colleague = services.invite_member(member, member.organisation, "colleague@example.org", "Colleague")
    services.remove_member(member, member.organisation, colleague.id)
    db.session.commit()
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert [(e.action, e.actor_id, e.object_id) for e in events] == [
        ("member.invited", member.id, colleague.id), ("member.removed", member.id, colleague.id)]
    assert events[1].before == {"organisation_id": member.organisation_id}


def test_no_event_survives_a_rollback(app):
    services.create_user(None, "staff@example.org", "Staff", "long password!", ["secretariat"])
    db.session.rollback()
    assert _events() == []


def test_a_refused_change_writes_no_event(client):
    user = make_user("applicant")
    headers = bearer(client, user)
    count = db.session.scalar(select(func.count()).select_from(AuditEvent))
    response = client.delete(f"/api/v1/organisations/{user.organisation_id}/members/{user.id}", headers=headers)
    assert response.status_code == 409
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == count


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET action = 'forged'", "DELETE FROM audit_events"])
def test_the_database_refuses_to_change_or_delete_events(app, statement):
    services.create_user(None, "staff@example.org", "Staff", "long password!", ["secretariat"])
    db.session.commit()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text(statement))
    db.session.rollback()
    assert _events() == ["user.created"]


@pytest.mark.parametrize("role, status", [
    ("secretariat", 200), ("admin", 200), ("applicant", 403), ("reviewer", 403), ("donor", 403)])
def test_the_audit_page_is_for_the_secretariat(client, role, status):
    user = make_user(role)
    web_login(client, user.email)
    assert client.get("/audit/").status_code == status


def test_the_audit_page_shows_who_did_what(client):
    OrganisationFactory()
    staff = make_user("secretariat")
    member = make_user("applicant")
    web_login(client, member.email)
    post_form(client, "/organisation", {"name": "Kofi Colleague", "email": "kofi@example.org"})
    client.post("/logout", data={"csrf_token": ""})
    client2 = client.application.test_client()
    web_login(client2, staff.email)
    page = client2.get("/audit/?action=member").get_data(as_text=True)
    assert "member.invited" in page and member.name in page and "kofi@example.org" in page
    assert "token.issued" not in page
