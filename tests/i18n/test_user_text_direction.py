"""Text users wrote keeps its own direction in a page of the other direction: an English
title in an Arabic page, an Arabic name in an English one. Each is isolated in <bdi>, so
its punctuation stays at its own end ("(ATT)." is not turned into ".(ATT")."""
from markupsafe import Markup

from tests.factories import CallFactory, ProposalFactory, make_user
from tests.helpers import web_login
from unscar.extensions import db
from unscar.templating import isolate

TITLE = "Licensing officers trained (ATT)."


def test_an_english_title_is_isolated_in_the_arabic_list_of_proposals(client):
    applicant = make_user("applicant", language="ar")
    ProposalFactory(owner=applicant, title=TITLE, call=CallFactory(title="Small arms (2027)"))
    web_login(client, applicant.email)

    page = client.get("/proposals/").get_data(as_text=True)
    assert 'dir="rtl"' in page
    assert f"<bdi>{TITLE}</bdi>" in page and "<bdi>Small arms (2027)</bdi>" in page


def test_an_arabic_organisation_name_is_isolated_in_an_english_page(client):
    applicant = make_user("applicant")
    proposal = ProposalFactory(owner=applicant)
    proposal.organisation.name = "مركز دراسات الأسلحة"
    db.session.commit()
    web_login(client, applicant.email)

    page = client.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "<bdi>مركز دراسات الأسلحة</bdi>" in page


def test_isolating_escapes_what_the_user_typed_and_leaves_nothing_as_nothing():
    assert isolate("<b>x</b> & y") == Markup("<bdi>&lt;b&gt;x&lt;/b&gt; &amp; y</bdi>")
    assert isolate("") == "" and isolate(None) is None
