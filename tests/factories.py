"""factory_boy factories, one per model, with traits for states.

Organisations, users, calls and criteria are rows. Everything past a draft is made by the
application's services (ServiceFactory): submission sets submitted_at, the checks snapshot
and the history together, screening the status and its reason, and so on, so a factory
cannot make an object the application could not reach. `ProposalFactory(submitted=True)`,
`AssignmentFactory(declared=True)`, `ReviewFactory(submitted=True)`.
"""
from datetime import timedelta
from decimal import Decimal

import factory
from factory.alchemy import SQLAlchemyModelFactory
from werkzeug.security import generate_password_hash

from tests import files
from tests.bodies import budget_json, proposal_json
from unscar.accounts.models import Organisation, User, UserRole
from unscar.api.io import load
from unscar.calls.models import Call, CallStatus, Criterion
from unscar.dates import utcnow
from unscar.decisions import services as decisions
from unscar.decisions.models import StoredRecommendation
from unscar.extensions import db
from unscar.proposals import services as proposals
from unscar.proposals.models import Attachment, Proposal
from unscar.proposals.schemas import BudgetInSchema, ProposalInSchema
from unscar.reviews import assigning, panels
from unscar.reviews import services as reviews
from unscar.reviews.models import Assignment, Review, ReviewerProfile
from unscar.screening import clarifications
from unscar.screening import services as screening
from unscar.screening.models import Clarification
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
    """A user; a trait per role (`UserFactory(reviewer=True)`), or `roles=[...]` for several.
    make_user("reviewer", ...) is the short form the tests use."""

    class Meta:
        model = User

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    name = factory.Sequence(lambda n: f"User {n}")
    password_hash = _PASSWORD_HASH
    roles = ()

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        kwargs["role_links"] = [UserRole(role=Role(role)) for role in kwargs.pop("roles")]
        return kwargs

    class Params:
        applicant = factory.Trait(organisation=factory.SubFactory(OrganisationFactory), roles=["applicant"])
        secretariat = factory.Trait(roles=["secretariat"])
        reviewer = factory.Trait(roles=["reviewer"])
        donor = factory.Trait(roles=["donor"])
        admin = factory.Trait(roles=["admin"])


def make_user(*roles: str, **kwargs) -> User:
    """A user with the given roles; an applicant gets an organisation unless one is given."""
    if "applicant" in roles and "organisation" not in kwargs:
        kwargs["organisation"] = OrganisationFactory()
    return UserFactory(roles=list(roles), **kwargs)


# --- calls ---------------------------------------------------------------------------

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


# --- made through the services ---------------------------------------------------------

class ServiceFactory(factory.Factory):
    """Objects made by the application's services, committed; never built unsaved."""

    class Meta:
        abstract = True
        strategy = factory.CREATE_STRATEGY

    @classmethod
    def _build(cls, model_class, *args, **kwargs):
        raise TypeError(f"{cls.__name__} makes its objects through the services: call it, don't build().")


class ProposalFactory(ServiceFactory):
    """A complete draft (bodies.proposal_json, overridable field by field) by a new applicant
    on an open call, with `attachments` (PDFs, by file name) uploaded while a draft.
    Traits: with_budget, submitted (budget, submitted_at, checks snapshot, history),
    under_review and screened_out (screened by a new secretariat user)."""

    class Meta:
        model = Proposal

    call = factory.SubFactory(CallFactory)
    owner = factory.LazyFunction(lambda: make_user("applicant"))
    stage = "draft"
    budget = False
    attachments = ()

    class Params:
        with_budget = factory.Trait(budget=True)
        submitted = factory.Trait(stage="submitted")
        under_review = factory.Trait(stage="under_review")
        screened_out = factory.Trait(stage="screened_out")

    @classmethod
    def _create(cls, model_class, call, owner, stage, budget, attachments, **fields):
        proposal = proposals.create_proposal(owner, call, load(ProposalInSchema(), proposal_json(**fields)))
        if budget or stage != "draft":
            proposals.replace_budget(owner, proposal, load(BudgetInSchema(), budget_json())["lines"])
        for filename in attachments:
            proposals.add_attachment(owner, proposal, filename, files.pdf_bytes())
        if stage != "draft":
            proposals.submit_proposal(owner, proposal)
        if stage in ("under_review", "screened_out"):
            decision = "eligible" if stage == "under_review" else "ineligible"
            screening.screen_proposal(make_user("secretariat"), proposal, decision, "Screened.")
        db.session.commit()
        return proposal


def owner_of(proposal: Proposal) -> User:
    """The applicant who started the proposal."""
    return db.session.get(User, proposal.created_by_id)


class AttachmentFactory(ServiceFactory):
    """A PDF uploaded to a draft by its owner."""

    class Meta:
        model = Attachment

    proposal = factory.SubFactory(ProposalFactory)
    filename = factory.Sequence(lambda n: f"work plan {n}.pdf")
    data = factory.LazyFunction(files.pdf_bytes)

    @classmethod
    def _create(cls, model_class, proposal, filename, data):
        attachment = proposals.add_attachment(owner_of(proposal), proposal, filename, data)
        db.session.commit()
        return attachment


class ClarificationFactory(ServiceFactory):
    """A secretariat's question on a submitted proposal; trait answered (by its owner)."""

    class Meta:
        model = Clarification

    proposal = factory.SubFactory(ProposalFactory, submitted=True)
    question = "Who trains the officers?"
    answer = None

    class Params:
        answered = factory.Trait(answer="The national police academy.")

    @classmethod
    def _create(cls, model_class, proposal, question, answer):
        clarification = clarifications.ask_clarification(make_user("secretariat"), proposal, question)
        if answer is not None:
            clarifications.answer_clarification(owner_of(proposal), clarification, answer)
        db.session.commit()
        return clarification


class ReviewerProfileFactory(ServiceFactory):
    """A reviewer's themes, regions and languages (no links to organisations)."""

    class Meta:
        model = ReviewerProfile

    reviewer = factory.LazyFunction(lambda: make_user("reviewer"))
    themes = factory.LazyFunction(lambda: ["legislation"])
    regions = factory.LazyFunction(lambda: ["Africa"])
    languages = factory.LazyFunction(lambda: ["en"])

    @classmethod
    def _create(cls, model_class, reviewer, themes, regions, languages):
        profile = panels.save_profile(reviewer, reviewer, themes, regions, languages, [])
        db.session.commit()
        return profile


def put_in_review(call: Call) -> Call:
    """The call past its deadline and in review, as the secretariat leaves it before assigning."""
    call.status = CallStatus.in_review
    db.session.commit()
    return call


class AssignmentFactory(ServiceFactory):
    """A reviewer assigned by hand to a proposal under review; the call is put in review.
    Trait declared: the reviewer signed the call's declaration, so may review."""

    class Meta:
        model = Assignment

    proposal = factory.SubFactory(ProposalFactory, under_review=True)
    reviewer = factory.LazyFunction(lambda: make_user("reviewer"))
    signed = False

    class Params:
        declared = factory.Trait(signed=True)

    @classmethod
    def _create(cls, model_class, proposal, reviewer, signed):
        call = put_in_review(proposal.call)
        assignment = assigning.assign_reviewer(make_user("secretariat"), call, reviewer.id, proposal.id)
        if signed and not panels.has_declared(reviewer, call):
            panels.sign_declaration(reviewer, call)
        db.session.commit()
        return assignment


class ReviewFactory(ServiceFactory):
    """A saved draft review (no score) of a declared assignment; trait submitted: every
    criterion scored (`marks`, by criterion position), an overall comment, a recommendation."""

    class Meta:
        model = Review

    assignment = factory.SubFactory(AssignmentFactory, declared=True)
    marks = None
    criterion_comment = ""
    comment = "Clear objectives and a realistic budget."
    recommendation = "fund"
    submit = False

    class Params:
        submitted = factory.Trait(submit=True, marks=(4, 3))

    @classmethod
    def _create(cls, model_class, assignment, marks, criterion_comment, comment, recommendation, submit):
        criteria = assignment.proposal.call.criteria
        scores = {c.id: marks[c.position] for c in criteria} if marks else {}
        comments = {c.id: criterion_comment for c in criteria} if criterion_comment else {}
        review = reviews.save_review(assignment.reviewer, assignment, scores, comments, comment,
                                     recommendation, submit=submit)
        db.session.commit()
        return review


class StoredRecommendationFactory(ServiceFactory):
    """The secretariat's recommendation for a call (its reviewed proposals), as computed;
    trait adopted. Pass a reviewed call (tests.builders.reviewed_call) for a useful one."""

    class Meta:
        model = StoredRecommendation

    call = factory.SubFactory(CallFactory, in_review=True)
    envelope_usd = None
    adopt = False

    class Params:
        adopted = factory.Trait(adopt=True)

    @classmethod
    def _create(cls, model_class, call, envelope_usd, adopt):
        staff = make_user("secretariat")
        stored = decisions.make_recommendation(staff, call, envelope_usd=envelope_usd)
        if adopt:
            decisions.adopt_recommendation(staff, stored)
        db.session.commit()
        return stored
