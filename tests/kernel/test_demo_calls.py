"""Demo data: the fund's calls since 2017 (the years before are imported history) and this
year's calls, through the services."""
from collections import Counter

from sqlalchemy import select

from unscar.accounts.models import Organisation, User
from unscar.audit.models import AuditEvent
from unscar.calls.models import Call, CallStatus
from unscar.dates import utcnow
from unscar.demo import load_demo
from unscar.extensions import db
from unscar.regions import REGIONS, region_of
from unscar.vocabulary import OrganisationType, Role


def test_demo_data_tells_the_funds_history_and_this_years_calls(app):
    assert load_demo() is True
    db.session.commit()
    this_year = utcnow().year
    calls = db.session.scalars(select(Call)).all()
    history = {c.year: c.status for c in calls if c.year < this_year}
    assert sorted(history) == list(range(2017, this_year))
    assert set(history.values()) <= {CallStatus.decided, CallStatus.archived}
    assert history[this_year - 1] == CallStatus.decided
    current = Counter(c.status for c in calls if c.year == this_year)
    assert {CallStatus.draft, CallStatus.open, CallStatus.closed, CallStatus.in_review} <= set(current)
    rapid = next(c for c in calls if "Rapid-response" in c.title)
    assert (rapid.status, rapid.closes_at.month, rapid.closes_at.day) == (CallStatus.open, 12, 31)
    assert all(c.criteria and c.max_budget_usd <= 200_000 for c in calls)
    assert all(c.accepts_submissions(utcnow()) for c in calls if c.status == CallStatus.open)
    # Made through the services: every call has its creation and each of its transitions audited.
    events = Counter(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "calls")))
    assert events["call.created"] == len(calls)
    assert events["call.status_changed"] == sum(
        list(CallStatus).index(c.status) for c in calls)


def test_demo_data_has_every_organisation_type_and_region_and_every_role(app):
    load_demo()
    db.session.commit()
    organisations = db.session.scalars(select(Organisation)).all()
    assert {o.type for o in organisations} == set(OrganisationType)
    assert {region_of(o.country) for o in organisations} == set(REGIONS)
    roles = {role for user in db.session.scalars(select(User)) for role in user.roles}
    assert roles == {r.value for r in Role}
    # Governments register but no call makes them eligible.
    assert all("government" not in c.eligible_applicant_types for c in db.session.scalars(select(Call)))


def test_demo_data_loads_once_with_if_empty(runner):
    first = runner.invoke(args=["unscar", "demo", "--if-empty"])
    assert "secretariat1@demo.unscar.org" in first.output
    count = db.session.scalar(select(db.func.count()).select_from(Call))
    second = runner.invoke(args=["unscar", "demo", "--if-empty"])
    assert "not loaded" in second.output
    assert db.session.scalar(select(db.func.count()).select_from(Call)) == count > 0
