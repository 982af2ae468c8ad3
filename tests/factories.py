"""factory_boy factories, one per model, with traits for states."""
import factory
from factory.alchemy import SQLAlchemyModelFactory
from werkzeug.security import generate_password_hash

from unscar.accounts.models import Organisation, User, UserRole
from unscar.extensions import db
from unscar.vocabulary import OrganisationType, Role

PASSWORD = "correct-horse-battery"
# Hashing is deliberately slow; hash the shared test password once.
_PASSWORD_HASH = generate_password_hash(PASSWORD)


class BaseFactory(SQLAlchemyModelFactory):
    class Meta:
        abstract = True
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "commit"


class OrganisationFactory(BaseFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    type = OrganisationType.ngo
    country = "KEN"
    registration_number = factory.Sequence(lambda n: f"REG-{n:05d}")


class UserFactory(BaseFactory):
    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Sequence(lambda n: f"User {n}")
    password_hash = _PASSWORD_HASH

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            self.role_links.append(UserRole(role=Role(role)))
        if create:
            db.session.commit()

    class Params:
        applicant = factory.Trait(organisation=factory.SubFactory(OrganisationFactory))


def make_user(*roles: str, **kwargs) -> User:
    """A user with the given roles; an applicant gets an organisation unless one is given."""
    if "applicant" in roles and "organisation" not in kwargs:
        kwargs["organisation"] = OrganisationFactory()
    return UserFactory(roles=list(roles), **kwargs)


# --- calls ---------------------------------------------------------------------------

from datetime import timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402

from unscar.calls.models import Call, CallStatus, Criterion  # noqa: E402
from unscar.dates import utcnow  # noqa: E402


class CriterionFactory(BaseFactory):
    class Meta:
        model = Criterion

    position = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    guidance = "How well the proposal does this."
    weight = Decimal("10.00")


class CallFactory(BaseFactory):
    """A call open now (closing in 30 days) with two criteria; traits for the other states."""

    class Meta:
        model = Call

    year = factory.LazyFunction(lambda: utcnow().year)
    title = factory.Sequence(lambda n: f"Call for proposals {n}")
    description = "<p>Projects that help States implement the <strong>Arms Trade Treaty</strong>.</p>"
    guidelines = "<p>Use the budget template.</p>"
    status = CallStatus.open
    opens_at = factory.LazyFunction(lambda: utcnow() - timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: utcnow() + timedelta(days=30))
    envelope_usd = Decimal("1500000.00")
    min_budget_usd = Decimal("50000.00")
    max_budget_usd = Decimal("200000.00")
    min_duration_months = 12
    max_duration_months = 24
    indirect_cap_pct = Decimal("7.00")
    eligible_applicant_types = factory.LazyFunction(lambda: ["ngo", "research_institute"])
    eligible_countries = factory.LazyFunction(list)
    eligible_regions = factory.LazyFunction(lambda: ["Africa", "Asia"])
    themes = factory.LazyFunction(lambda: ["legislation", "stockpile_management"])
    instruments = factory.LazyFunction(lambda: ["att", "poa"])
    criteria = factory.LazyFunction(lambda: [
        Criterion(position=0, name="Impact", guidance="What changes for the beneficiaries.", weight=Decimal("60")),
        Criterion(position=1, name="Value for money", guidance="Costs against results.", weight=Decimal("40")),
    ])

    class Params:
        draft = factory.Trait(status=CallStatus.draft)
        closed = factory.Trait(status=CallStatus.closed,
                               opens_at=factory.LazyFunction(lambda: utcnow() - timedelta(days=60)),
                               closes_at=factory.LazyFunction(lambda: utcnow() - timedelta(days=5)))
        in_review = factory.Trait(status=CallStatus.in_review,
                                  opens_at=factory.LazyFunction(lambda: utcnow() - timedelta(days=90)),
                                  closes_at=factory.LazyFunction(lambda: utcnow() - timedelta(days=30)))
        decided = factory.Trait(status=CallStatus.decided,
                                opens_at=factory.LazyFunction(lambda: utcnow() - timedelta(days=400)),
                                closes_at=factory.LazyFunction(lambda: utcnow() - timedelta(days=300)))
        archived = factory.Trait(status=CallStatus.archived,
                                 opens_at=factory.LazyFunction(lambda: utcnow() - timedelta(days=800)),
                                 closes_at=factory.LazyFunction(lambda: utcnow() - timedelta(days=700)))


def call_values(**overrides) -> dict:
    """Everything create_call needs, as Python values: a call opening now and closing in 30 days."""
    now = utcnow().replace(microsecond=0)
    values = {
        "title": "Arms Trade Treaty implementation in Africa and Asia", "year": now.year,
        "description": "<p>Support for <em>national control systems</em>.</p>",
        "guidelines": "<p>Read the guidelines.</p>", "opens_at": now, "closes_at": now + timedelta(days=30),
        "review_closes_at": None, "envelope_usd": Decimal("1000000.00"), "min_budget_usd": Decimal("50000.00"),
        "max_budget_usd": Decimal("200000.00"), "min_duration_months": 12, "max_duration_months": 24,
        "indirect_cap_pct": Decimal("7"), "eligible_applicant_types": ["ngo", "research_institute"],
        "eligible_countries": [], "eligible_regions": ["Africa", "Asia"], "themes": ["legislation"],
        "instruments": ["att"], "max_proposals_per_organisation": None, "blind_review": False,
        "reviewers_per_proposal": 3, "scale_max": 5,
        "criteria": [{"name": "Impact", "guidance": "What changes.", "weight": Decimal("60")},
                     {"name": "Value for money", "guidance": "", "weight": Decimal("40")}],
    }
    values.update(overrides)
    return values


def call_json(**overrides) -> dict:
    """The same call as API.md's POST /calls body."""
    now = utcnow().replace(microsecond=0)
    body = {
        "title": "Arms Trade Treaty implementation in Africa and Asia", "year": now.year,
        "description": "<p>Support for <em>national control systems</em>.</p>",
        "guidelines": "<p>Read the guidelines.</p>", "opens_at": now.isoformat(),
        "closes_at": (now + timedelta(days=30)).isoformat(), "envelope_usd": "1000000.00",
        "min_budget_usd": 50000, "max_budget_usd": "200000.00", "min_duration_months": 12,
        "max_duration_months": 24, "eligible_applicant_types": ["ngo", "research_institute"],
        "eligible_countries": ["KEN", "GHA"], "eligible_regions": ["Asia"], "themes": ["legislation", "reporting"],
        "instruments": ["att", "poa"], "blind_review": True, "reviewers_per_proposal": 2,
        "criteria": [{"name": "Impact", "guidance": "What changes.", "weight": 60},
                     {"name": "Value for money", "guidance": "", "weight": 40.5}],
    }
    body.update(overrides)
    return body
