"""`flask --app wsgi unscar remind`: organisations with an unsubmitted draft hear a set
number of days before the call closes, once per draft, through the outbox."""
import itertools
from datetime import timedelta

import pytest
from flask_babel import get_locale
from sqlalchemy import func, select

from tests.factories import CallFactory, OrganisationFactory, make_user
from unscar.accounts.models import User
from unscar.audit.models import AuditEvent
from unscar.calls.models import CallStatus
from unscar.dates import freeze_clock, utcnow
from unscar.extensions import db
from unscar.outbox.models import OutboxMessage
from unscar.outbox.services import queue_mail
from unscar.proposals.models import Proposal, ProposalStatus
from unscar.screening import reminders as reminders_module
from unscar.screening.reminders import remind_draft_deadlines

_numbers = itertools.count(1)


def make_draft(call, organisation, status=ProposalStatus.draft, deleted=False) -> Proposal:
    creator = make_user("applicant", organisation=organisation)
    proposal = Proposal(call=call, organisation=organisation, created_by_id=creator.id, status=status,
                        reference=f"UNSCAR-{call.year}-{next(_numbers):04d}", title="Licensing in Kenya",
                        deleted_at=utcnow() if deleted else None)
    db.session.add(proposal)
    db.session.commit()
    return proposal


def reminders() -> list[OutboxMessage]:
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "deadline_reminder")
                                   .order_by(OutboxMessage.id)))


@pytest.fixture
def clock():
    freeze_clock(utcnow())
    yield lambda **delta: freeze_clock(utcnow() + timedelta(**delta))
    freeze_clock(None)


@pytest.fixture
def closing_soon(app):
    return CallFactory(closes_at=utcnow() + timedelta(days=5, hours=3))


def test_every_member_of_an_organisation_with_a_draft_is_reminded(runner, closing_soon):
    org = OrganisationFactory()
    draft = make_draft(closing_soon, org)  # its creator is the first member
    colleague = make_user("applicant", organisation=org)
    make_user("applicant", organisation=org, active=False)
    result = runner.invoke(args=["unscar", "remind"])
    assert result.exit_code == 0, result.output
    assert "Drafts reminded of their call's deadline: 1" in result.output
    sent = reminders()
    assert len(sent) == 2 and colleague.email in {m.to_address for m in sent}
    body = sent[0].body
    assert draft.reference in body and f"/proposals/{draft.id}" in body
    assert closing_soon.closes_at.strftime("%d %b %Y %H:%M UTC") in body
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                             .where(AuditEvent.action == "proposal.deadline_reminded")) == 1


def test_a_reminder_goes_out_once_however_often_the_command_runs(runner, closing_soon):
    make_draft(closing_soon, OrganisationFactory())
    runner.invoke(args=["unscar", "remind"])
    result = runner.invoke(args=["unscar", "remind"])
    assert "deadline: 0" in result.output and len(reminders()) == 1


def test_one_reminder_per_draft(app, closing_soon):
    org = OrganisationFactory()
    make_draft(closing_soon, org)
    make_draft(closing_soon, org)
    assert remind_draft_deadlines() == 2
    # Each draft's creator is a member: 2 drafts × 2 members.
    assert len(reminders()) == 4


def test_only_unsubmitted_drafts_of_open_calls_closing_soon(app, closing_soon):
    org = OrganisationFactory()
    reminded = make_draft(closing_soon, org)
    make_draft(closing_soon, org, status=ProposalStatus.submitted)
    make_draft(closing_soon, org, status=ProposalStatus.withdrawn)
    make_draft(closing_soon, org, deleted=True)
    make_draft(CallFactory(closes_at=utcnow() + timedelta(days=20)), org)  # not yet
    make_draft(CallFactory(closed=True), org)  # past
    make_draft(CallFactory(status=CallStatus.closed, closes_at=utcnow() + timedelta(days=2)), org)  # closed early
    assert remind_draft_deadlines() == 1
    assert {m.subject for m in reminders()} == {f"Deadline approaching: {reminded.reference} is not submitted"}


def test_the_reminder_comes_when_the_deadline_enters_the_window(app, clock):
    call = CallFactory(closes_at=utcnow() + timedelta(days=10))
    make_draft(call, OrganisationFactory())
    assert remind_draft_deadlines() == 0
    clock(days=3, hours=1)  # 6 days 23 hours before the deadline
    assert remind_draft_deadlines() == 1
    clock(days=7)  # past the deadline: nothing more
    assert remind_draft_deadlines() == 0 and len(reminders()) == 1


def test_the_window_is_a_setting(make_app):
    app = make_app(REMIND_DAYS_BEFORE_DEADLINE=2)
    with app.app_context():
        call = CallFactory(closes_at=utcnow() + timedelta(days=3))
        make_draft(call, OrganisationFactory())
        assert remind_draft_deadlines() == 0
        assert remind_draft_deadlines(days=7) == 1
        db.session.rollback()


def test_each_member_is_reminded_in_their_own_language(app, closing_soon, monkeypatch):
    """Subject and body are made in the recipient's language (their account's), whoever runs
    the command: the locale in force while each member's message is queued says so."""
    org = OrganisationFactory()
    draft = make_draft(closing_soon, org)  # its creator has no language: English
    colleague = make_user("applicant", organisation=org)
    colleague.language = "fr"
    db.session.commit()
    locales = {}

    def recording(to, *args, **kwargs):
        locales[to] = str(get_locale())
        return queue_mail(to, *args, **kwargs)

    monkeypatch.setattr(reminders_module, "queue_mail", recording)
    assert remind_draft_deadlines() == 1
    creator = db.session.get(User, draft.created_by_id)
    assert locales == {creator.email: "en", colleague.email: "fr"}
