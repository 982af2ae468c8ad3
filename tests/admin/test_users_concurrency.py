"""Two administrators taking each other's admin role at the same moment: the rows of both
users are locked before the change and the actor's role checked again, so the second one
finds it is no longer an administrator and the fund keeps one."""
from sqlalchemy import select

from tests.factories import make_user
from tests.races import race
from unscar.accounts import admin as accounts_admin
from unscar.accounts.models import User, UserRole
from unscar.extensions import db
from unscar.vocabulary import Role


def test_two_administrators_demoting_each_other_at_once_leave_one(app, make_app):
    first, second = make_user("admin"), make_user("admin")
    db.session.commit()
    ids = [first.id, second.id]

    def demote(i):
        actor, target = db.session.get(User, ids[i]), db.session.get(User, ids[1 - i])
        accounts_admin.update_user(actor, target, roles=["reviewer"])

    outcomes = race(make_app, demote, workers=2)
    db.session.rollback()
    assert sorted(outcomes) == ["PermissionDenied", "ok"]
    admins = db.session.scalars(select(UserRole.user_id).where(UserRole.role == Role.admin)).all()
    assert len(admins) == 1
