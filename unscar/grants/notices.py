"""E-mail to a grantee organisation's members, through the outbox in the caller's
transaction (a report returned or accepted, a revision decided, a reminder), each in its
recipient's language."""
from collections.abc import Callable

from sqlalchemy import select

from ..accounts.models import User
from ..extensions import db
from ..i18n import in_language_of
from ..outbox.services import queue_mail
from .models import Grant


def members_by_organisation(organisation_ids) -> dict[int, list[User]]:
    """{organisation id: its active members}, in one query."""
    members: dict[int, list[User]] = {org_id: [] for org_id in organisation_ids}
    if not members:
        return members
    stmt = select(User).where(User.organisation_id.in_(members), User.active.is_(True)).order_by(User.id)
    for user in db.session.scalars(stmt):
        members[user.organisation_id].append(user)
    return members


def mail_grantee(grant: Grant, subject: Callable[[], str], template: str, kind: str, members=None, **context) -> int:
    """One e-mail per active member of the grant's organisation; returns how many.
    `subject()` makes the subject, called in each member's language as the body is rendered."""
    if members is None:
        members = members_by_organisation([grant.organisation_id])[grant.organisation_id]
    for member in members:
        with in_language_of(member):
            queue_mail(member.email, subject(), template, kind=kind, user=member, grant=grant, **context)
    return len(members)
