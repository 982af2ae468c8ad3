"""E-mail to a grantee organisation: each member's in their own language, whoever's action
caused it (the subject and the body are made inside in_language_of)."""
from datetime import timedelta

from sqlalchemy import select

from tests.factories import make_user
from tests.grants.reporting import approved_grant
from unscar.extensions import db
from unscar.grants import revisions
from unscar.grants.notices import mail_grantee
from unscar.i18n import current_language
from unscar.outbox.models import OutboxMessage


def test_each_member_is_mailed_in_their_own_language(app):
    grant, grantee, _staff = approved_grant()
    colleague = make_user("applicant", organisation=grantee.organisation)
    grantee.language, colleague.language = "fr", None
    revision = revisions.request_revision(grantee, grant, [], grant.end_date + timedelta(days=30), "Longer.")
    db.session.commit()
    # The subject says which language it was made in; English is the language of the caller.
    sent = mail_grantee(grant, current_language, "revision_decided", kind="language_check", revision=revision,
                        decision="rejected", link="https://example.org/")
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "language_check")).all()
    assert sent == 2 and {mail.to_address: mail.subject for mail in mails} == {grantee.email: "fr",
                                                                                 colleague.email: "en"}
    assert current_language() == "en"
