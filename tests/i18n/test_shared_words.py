"""One English word for several things is several words elsewhere: "Submitted" heads a
column of dates, counts proposals (feminine in French) and names the reviews sent; "All"
chooses every proposal (feminine) or every mail message (masculine)."""
from tests.factories import CallFactory, ProposalFactory, make_user
from tests.helpers import web_login
from unscar.extensions import db


def test_the_intake_list_says_all_and_submitted_in_french_words_for_proposals_and_dates(client):
    call = ProposalFactory(submitted=True, call=CallFactory()).call
    staff = make_user("secretariat")
    staff.language = "fr"
    db.session.commit()
    web_login(client, staff.email)

    page = client.get(f"/screening/calls/{call.id}").get_data(as_text=True)
    assert ">Toutes</a>" in page  # les propositions
    assert "<th>Date de soumission</th>" in page
    assert "Soumis<" not in page


def test_the_portfolio_filters_offer_every_value_in_the_masculine(client):
    page = client.get("/portfolio/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<option value="">Tous</option>' in page
