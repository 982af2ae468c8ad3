"""Calls services: creating, editing and moving calls (DESIGN.md "Call", "Transitions")."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tests.bodies import call_values
from tests.factories import CallFactory, make_user
from unscar.audit.models import AuditEvent
from unscar.calls import services
from unscar.calls.models import Call, CallStatus, Criterion
from unscar.dates import freeze_clock, utcnow
from unscar.errors import InvalidTransition, PermissionDenied, ValidationFailed
from unscar.extensions import db


def events(action_prefix: str = "call."):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action.startswith(action_prefix))
                              .order_by(AuditEvent.id)).all()


@pytest.fixture
def secretariat(app):
    return make_user("secretariat")


@pytest.fixture
def frozen():
    """Move the clock inside a test; always released."""
    yield freeze_clock
    freeze_clock(None)


def test_create_call_makes_a_draft_with_its_criteria_and_one_audit_event(secretariat):
    call = services.create_call(secretariat, call_values())
    db.session.commit()
    assert call.status == CallStatus.draft
    assert [(c.position, c.name, c.weight) for c in call.criteria] == [
        (0, "Impact", Decimal("60.00")), (1, "Value for money", Decimal("40.00"))]
    assert call.indirect_cap_pct == Decimal("7.00") and call.envelope_usd == Decimal("1000000.00")
    [event] = events()
    assert event.action == "call.created" and event.actor_id == secretariat.id and event.object_id == call.id
    assert event.after["title"] == call.title and event.after["criteria"][0]["weight"] == "60.00"


@pytest.mark.parametrize("role", ["applicant", "reviewer", "donor", "admin"])
def test_only_the_secretariat_creates_edits_and_moves_calls(app, role):
    user = make_user(role)
    call = CallFactory(draft=True)
    with pytest.raises(PermissionDenied):
        services.create_call(user, call_values())
    with pytest.raises(PermissionDenied):
        services.update_call(user, call, {"title": "Changed"})
    with pytest.raises(PermissionDenied):
        services.change_status(user, call, "open")
    db.session.rollback()
    assert db.session.scalar(select(Call.title).where(Call.id == call.id)) != "Changed"
    assert events() == []


@pytest.mark.parametrize("change, path", [
    ({"closes_at": utcnow() - timedelta(days=1)}, "closes_at"),
    ({"review_closes_at": utcnow() + timedelta(days=2)}, "review_closes_at"),
    ({"min_budget_usd": Decimal("250000")}, "min_budget_usd"),
    ({"max_budget_usd": Decimal("2000000")}, "max_budget_usd"),
    ({"envelope_usd": Decimal("-1")}, "envelope_usd"),
    ({"min_budget_usd": Decimal("10.005")}, "min_budget_usd"),
    ({"min_duration_months": 30}, "min_duration_months"),
    ({"themes": ["legislation", "space_weapons"]}, "themes.1"),
    ({"instruments": []}, "instruments"),
    ({"eligible_applicant_types": ["company"]}, "eligible_applicant_types.0"),
    ({"eligible_regions": ["Antarctica"]}, "eligible_regions.0"),
    ({"eligible_countries": ["KEN", "XYZ"]}, "eligible_countries.1"),
    ({"criteria": []}, "criteria"),
    ({"criteria": [{"name": "Impact", "guidance": "", "weight": Decimal("0")}]}, "criteria.0.weight"),
    ({"criteria": [{"name": " ", "guidance": "", "weight": Decimal("1")}]}, "criteria.0.name"),
    ({"title": "   "}, "title"),
    ({"indirect_cap_pct": Decimal("120")}, "indirect_cap_pct"),
])
def test_create_call_refuses_bad_values_naming_the_field(secretariat, change, path):
    with pytest.raises(ValidationFailed) as refused:
        services.create_call(secretariat, call_values(**change))
    assert path in refused.value.errors, refused.value.errors
    assert db.session.scalar(select(Call)) is None


def test_rich_text_is_sanitised_on_the_way_in(secretariat):
    call = services.create_call(secretariat, call_values(
        description='<p onclick="steal()">Fund <strong>this</strong><script>alert(1)</script></p>'
                    '<a href="javascript:alert(2)">x</a><img src=x onerror=alert(3)>'))
    assert "<script" not in call.description and "onclick" not in call.description
    assert "javascript:" not in call.description and "<img" not in call.description
    assert "<strong>this</strong>" in call.description


def test_a_draft_changes_in_every_field_including_its_criteria(secretariat):
    call = CallFactory(draft=True)
    old_ids = [c.id for c in call.criteria]
    services.update_call(secretariat, call, {
        "title": "Renamed", "themes": ["reporting"], "min_budget_usd": Decimal("10000"),
        "criteria": [{"name": "Impact", "guidance": "new", "weight": Decimal("2")},
                     {"name": "Gender equality", "guidance": "", "weight": Decimal("1.5")},
                     {"name": "Sustainability", "guidance": "", "weight": Decimal("1")}]})
    db.session.commit()
    db.session.expire_all()
    assert call.title == "Renamed" and call.themes == ["reporting"]
    assert [(c.name, c.weight) for c in call.criteria] == [
        ("Impact", Decimal("2.00")), ("Gender equality", Decimal("1.50")), ("Sustainability", Decimal("1.00"))]
    assert [c.id for c in call.criteria][:2] == old_ids
    [event] = events()
    assert event.action == "call.updated"
    assert event.before["title"] != "Renamed" and event.after["title"] == "Renamed"
    assert set(event.after) == {"title", "themes", "min_budget_usd", "criteria"}


def test_fewer_criteria_remove_the_rest(secretariat):
    call = CallFactory(draft=True)
    services.update_call(secretariat, call, {"criteria": [{"name": "Only", "guidance": "", "weight": 1}]})
    db.session.commit()
    assert db.session.scalars(select(Criterion.name)).all() == ["Only"]


def test_an_edit_that_changes_nothing_writes_no_event(secretariat):
    call = CallFactory(draft=True)
    services.update_call(secretariat, call, {"title": call.title, "closes_at": call.closes_at})
    assert events() == []


@pytest.mark.parametrize("field, value", [
    ("criteria", [{"name": "New", "guidance": "", "weight": Decimal("1")}]),
    ("title", "Another title"),
    ("max_budget_usd", Decimal("100000")),
    ("themes", ["reporting"]),
    ("opens_at", utcnow() - timedelta(days=1)),
])
def test_an_open_call_refuses_changes_other_than_the_allowed_ones(secretariat, field, value):
    call = CallFactory()
    with pytest.raises(InvalidTransition) as refused:
        services.update_call(secretariat, call, {field: value})
    assert field in refused.value.detail
    assert events() == []


def test_extending_an_open_call_is_an_audited_edit(secretariat):
    call = CallFactory()
    old = call.closes_at
    new = old + timedelta(days=14)
    services.update_call(secretariat, call, {"closes_at": new, "envelope_usd": Decimal("1750000"),
                                             "description": "<p>Extended.</p>"})
    db.session.commit()
    assert call.closes_at == new and call.envelope_usd == Decimal("1750000.00")
    [event] = events()
    assert event.action == "call.deadline_extended"
    assert event.before["closes_at"] == old.isoformat() and event.after["closes_at"] == new.isoformat()


def test_an_extension_must_be_later_and_in_the_future(secretariat, frozen):
    call = CallFactory()
    with pytest.raises(ValidationFailed) as earlier:
        services.update_call(secretariat, call, {"closes_at": call.closes_at - timedelta(days=1)})
    assert "closes_at" in earlier.value.errors
    # A call past its deadline (still open) can be extended, but not to a moment already past.
    frozen(call.closes_at + timedelta(days=3))
    with pytest.raises(ValidationFailed) as past:
        services.update_call(secretariat, call, {"closes_at": call.closes_at + timedelta(days=1)})
    assert "closes_at" in past.value.errors
    services.update_call(secretariat, call, {"closes_at": call.closes_at + timedelta(days=10)})
    assert call.accepts_submissions(utcnow())


def test_a_closed_call_can_no_longer_be_extended_and_an_archived_one_not_changed(secretariat):
    closed = CallFactory(closed=True)
    with pytest.raises(InvalidTransition):
        services.update_call(secretariat, closed, {"closes_at": utcnow() + timedelta(days=5)})
    services.update_call(secretariat, closed, {"guidelines": "<p>Results in November.</p>"})
    archived = CallFactory(archived=True)
    with pytest.raises(InvalidTransition):
        services.update_call(secretariat, archived, {"description": "<p>Rewritten history.</p>"})


def test_a_call_moves_through_every_state_with_one_event_each(secretariat, frozen):
    call = CallFactory(draft=True)
    services.change_status(secretariat, call, "open")
    frozen(call.closes_at + timedelta(hours=1))
    for status in ("closed", "in_review", "decided", "archived"):
        services.change_status(secretariat, call, status)
    db.session.commit()
    assert call.status == CallStatus.archived
    assert [(e.before["status"], e.after["status"]) for e in events()] == [
        ("draft", "open"), ("open", "closed"), ("closed", "in_review"), ("in_review", "decided"),
        ("decided", "archived")]


@pytest.mark.parametrize("trait, target, words", [
    ("draft", "closed", "can only move to open"),
    ("draft", "in_review", "can only move to open"),
    ("draft", "draft", "can only move to open"),
    ("open", "draft", "can only move to closed"),
    ("open", "decided", "can only move to closed"),
    ("closed", "open", "can only move to in review"),
    ("in_review", "closed", "can only move to decided"),
    ("decided", "in_review", "can only move to archived"),
    ("archived", "open", "cannot move any further"),
])
def test_refused_transitions_say_why(secretariat, trait, target, words):
    call = CallFactory(**({trait: True} if trait != "open" else {}))
    before = call.status
    with pytest.raises(InvalidTransition) as refused:
        services.change_status(secretariat, call, target)
    assert words in refused.value.detail
    assert call.status == before and events() == []


def test_a_call_without_criteria_does_not_open(secretariat):
    call = CallFactory(draft=True, criteria=[])
    with pytest.raises(InvalidTransition) as refused:
        services.change_status(secretariat, call, "open")
    assert "criteria" in refused.value.detail
    assert services.transition_refusal(call, CallStatus.open) == refused.value.detail


def test_a_call_whose_deadline_passed_does_not_open(secretariat, frozen):
    call = CallFactory(draft=True)
    frozen(call.closes_at)
    with pytest.raises(InvalidTransition) as refused:
        services.change_status(secretariat, call, "open")
    assert "closing time has passed" in refused.value.detail


def test_submissions_are_accepted_only_between_opens_and_closes(app, frozen):
    call = CallFactory()
    assert call.accepts_submissions(utcnow()) and not call.closed_for_submissions(utcnow())
    assert not call.accepts_submissions(call.opens_at - timedelta(seconds=1))
    assert not call.accepts_submissions(call.closes_at)
    assert call.closed_for_submissions(call.closes_at) and call.status == CallStatus.open


@pytest.mark.parametrize("column, value", [("weight", 0), ("weight", -1)])
def test_the_database_itself_refuses_non_positive_weights(app, column, value):
    call = CallFactory(draft=True)
    db.session.add(Criterion(call=call, position=9, name="Bad", guidance="", **{column: Decimal(value)}))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_database_itself_refuses_a_minimum_above_the_maximum_and_closing_before_opening(app):
    call = CallFactory(draft=True)
    call.min_budget_usd = Decimal("300000")
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    call = db.session.get(Call, call.id)
    call.closes_at = call.opens_at - timedelta(hours=1)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
