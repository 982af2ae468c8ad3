"""The receipt of a submission goes to each member of the organisation in that member's
language (subject and body), whoever submitted; the submitter's page speaks theirs."""
from io import BytesIO

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations
from flask_babel import get_domain
from sqlalchemy import select

from tests.factories import make_user
from tests.helpers import web_login
from tests.proposals.pages import html, make_proposal, submit
from unscar.extensions import db
from unscar.outbox.models import OutboxMessage

FRENCH = {
    "Proposal received: %(reference)s": "Proposition reçue : %(reference)s",
    "Dear %(name)s,": "Bonjour %(name)s,",
    "Proposal %(reference)s is submitted. A receipt is on its way to your organisation.":
        "La proposition %(reference)s est soumise. Un accusé de réception est envoyé à votre organisation.",
}


@pytest.fixture
def french(app, monkeypatch):
    """A French catalogue of a few messages, as `make catalogues` compiles them."""
    catalog = Catalog(locale="fr")
    for msgid, msgstr in FRENCH.items():
        catalog.add(msgid, msgstr)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    with app.test_request_context():
        monkeypatch.setitem(get_domain().cache, ("fr", "messages"), Translations(compiled))


def test_each_member_gets_the_receipt_in_their_own_language(client, call, french):
    submitter = make_user("applicant", language="fr")
    colleague = make_user("applicant", organisation=submitter.organisation, language="en")
    proposal_id = make_proposal(submitter, call)
    db.session.commit()
    web_login(client, submitter.email)

    response = submit(client, proposal_id)
    page = html(client.get(response.headers["Location"]))

    mails = {m.to_address: m for m in db.session.scalars(select(OutboxMessage)
                                                         .where(OutboxMessage.kind == "submission_receipt"))}
    reference = mails[colleague.email].subject.split(": ")[1]
    assert f"La proposition {reference} est soumise." in page
    assert mails[submitter.email].subject == f"Proposition reçue : {reference}"
    assert mails[submitter.email].body.startswith(f"Bonjour {submitter.name},")
    assert mails[colleague.email].subject == f"Proposal received: {reference}"
    assert mails[colleague.email].body.startswith(f"Dear {colleague.name},")
