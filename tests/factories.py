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
