"""Proposal services: one audit event per change, none after a rollback, history kept."""
from decimal import Decimal

import pytest
from sqlalchemy import select

from tests import files
from tests.bodies import budget_json
from tests.factories import ProposalFactory, make_user
from unscar.api.io import load
from unscar.audit.models import AuditEvent
from unscar.extensions import db
from unscar.proposals import services
from unscar.proposals.models import ProposalStatus
from unscar.proposals.schemas import BudgetInSchema
from unscar.screening import clarifications
from unscar.screening import services as screening


@pytest.fixture
def world(app):
    owner, staff = make_user("applicant"), make_user("secretariat")
    return owner, staff, ProposalFactory(owner=owner)


def _actions_after(change) -> list[str]:
    last = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) or 0
    change()
    db.session.commit()
    return db.session.scalars(select(AuditEvent.action).where(AuditEvent.id > last)).all()


def _budget(owner, proposal):
    services.replace_budget(owner, proposal, load(BudgetInSchema(), budget_json())["lines"])


def test_every_change_writes_exactly_one_event(world):
    owner, staff, proposal = world
    assert _actions_after(lambda: services.update_proposal(owner, proposal, {"title": "New"})) == ["proposal.updated"]
    assert _actions_after(lambda: services.update_proposal(owner, proposal, {"title": "New"})) == []  # no change
    assert _actions_after(lambda: _budget(owner, proposal)) == ["proposal.budget_replaced"]
    attachment = []
    assert _actions_after(lambda: attachment.append(
        services.add_attachment(owner, proposal, "a.pdf", files.pdf_bytes()))) == ["attachment.added"]
    assert _actions_after(lambda: services.delete_attachment(owner, attachment[0])) == ["attachment.deleted"]
    assert _actions_after(lambda: services.submit_proposal(owner, proposal)) == ["proposal.submitted"]
    assert _actions_after(lambda: services.submit_proposal(owner, proposal)) == []  # idempotent
    question = []
    assert _actions_after(lambda: question.append(
        clarifications.ask_clarification(staff, proposal, "Who?"))) == ["clarification.asked"]
    assert _actions_after(lambda: clarifications.answer_clarification(owner, question[0], "Us.")) == [
        "clarification.answered"]
    assert _actions_after(lambda: screening.screen_proposal(staff, proposal, "eligible", "Fine.")) == [
        "proposal.under_review"]
    assert _actions_after(lambda: services.withdraw_proposal(owner, proposal)) == ["proposal.withdrawn"]
    history = [(c.from_status, c.to_status) for c in proposal.history]
    assert history == [(None, ProposalStatus.draft), (ProposalStatus.draft, ProposalStatus.submitted),
                       (ProposalStatus.submitted, ProposalStatus.under_review),
                       (ProposalStatus.under_review, ProposalStatus.withdrawn)]


def test_no_event_survives_a_rollback(world):
    owner, _staff, proposal = world
    before = db.session.scalars(select(AuditEvent.id)).all()
    services.update_proposal(owner, proposal, {"title": "Never saved"})
    _budget(owner, proposal)
    db.session.rollback()
    assert db.session.scalars(select(AuditEvent.id)).all() == before
    assert proposal.title != "Never saved"


def test_the_requested_total_follows_the_budget(world):
    owner, _staff, proposal = world
    _budget(owner, proposal)
    db.session.commit()
    assert proposal.requested_usd == Decimal("93321.00")
    services.replace_budget(owner, proposal, [])
    db.session.commit()
    assert proposal.requested_usd == Decimal("0.00")


def test_roles_are_checked_in_the_services_themselves(world):
    owner, staff, proposal = world
    from unscar.errors import NotFound, PermissionDenied
    with pytest.raises(NotFound):
        services.update_proposal(staff, proposal, {"title": "staff may not edit"})
    with pytest.raises(PermissionDenied):
        screening.screen_proposal(owner, proposal, "eligible", "self-screening")
    with pytest.raises(PermissionDenied):
        services.create_proposal(staff, proposal.call, {})


def test_a_call_with_unscreened_proposals_cannot_go_into_review(world):
    owner, staff, proposal = world
    from unscar.calls.models import CallStatus
    from unscar.calls.services import change_status
    from unscar.dates import freeze_clock
    from unscar.errors import InvalidTransition
    _budget(owner, proposal)
    services.submit_proposal(owner, proposal)
    db.session.commit()
    call = proposal.call
    freeze_clock(call.closes_at)
    try:
        change_status(staff, call, CallStatus.closed)
        with pytest.raises(InvalidTransition, match="still submitted"):
            change_status(staff, call, CallStatus.in_review)
        screening.screen_proposal(staff, proposal, "eligible", "Fine.")
        change_status(staff, call, CallStatus.in_review)
        with pytest.raises(InvalidTransition):
            change_status(staff, call, CallStatus.decided)  # the proposal under review has no decision
    finally:
        freeze_clock(None)
