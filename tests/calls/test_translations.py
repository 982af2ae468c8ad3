"""A call in several languages (API.md `translations`): the secretariat gives the title,
description and guidelines in other languages; the base fields keep the original; each
reader sees the version in their own language where there is one, else the original."""
from sqlalchemy import func, select

from tests.bodies import call_json
from tests.factories import make_user
from tests.calls.test_pages import call_form
from tests.helpers import bearer, post_form, web_login
from unscar.audit.models import AuditEvent
from unscar.extensions import db

FRENCH = {"title": "Appel à propositions 2027", "description": "<p>Le Mécanisme finance des projets.</p>",
          "guidelines": "<p>Lisez les lignes directrices.</p>"}


def _open_call_with_french(client, staff):
    created = client.post("/api/v1/calls", json=call_json(title="Call for proposals 2027", translations={"fr": FRENCH}),
                          headers=staff)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["translations"] == {"fr": FRENCH}
    call_id = created.get_json()["id"]
    assert client.post(f"/api/v1/calls/{call_id}/status", json={"status": "open"}, headers=staff).status_code == 200
    return call_id


def test_each_reader_sees_the_call_in_their_language_where_it_exists(client, app):
    staff = bearer(client, make_user("secretariat"))
    call_id = _open_call_with_french(client, staff)

    french = client.get(f"/calls/{call_id}", headers={"Accept-Language": "fr-FR,fr;q=0.9"}).get_data(as_text=True)
    assert "Appel à propositions 2027" in french and "Le Mécanisme finance des projets." in french
    assert "Call for proposals 2027" not in french
    listed = client.get("/calls/", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Appel à propositions 2027" in listed

    # No Spanish version: the original, as written.
    spanish = client.get(f"/calls/{call_id}", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert "Call for proposals 2027" in spanish and "Appel" not in spanish
    # The API keeps the original in the base fields, whatever the reader's language.
    api = client.get(f"/api/v1/calls/{call_id}", headers={"Accept-Language": "fr"}).get_json()
    assert api["title"] == "Call for proposals 2027" and api["translations"]["fr"]["title"] == FRENCH["title"]


def test_translations_are_added_after_opening_and_audited(client, app):
    staff = bearer(client, make_user("secretariat"))
    call_id = _open_call_with_french(client, staff)
    spanish = {"title": "Convocatoria 2027", "description": "<p>Descripción</p><script>x</script>", "guidelines": ""}
    changed = client.patch(f"/api/v1/calls/{call_id}", json={"translations": {"fr": FRENCH, "es": spanish}},
                           headers=staff)
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["translations"]["es"] == {"title": "Convocatoria 2027",
                                                        "description": "<p>Descripción</p>", "guidelines": ""}
    # Replacing the map drops a language left out.
    dropped = client.patch(f"/api/v1/calls/{call_id}", json={"translations": {"es": spanish}}, headers=staff)
    assert set(dropped.get_json()["translations"]) == {"es"}
    with app.app_context():
        events = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                   .where(AuditEvent.action == "call.updated", AuditEvent.object_id == call_id))
    assert events == 2


def test_a_translation_into_no_language_or_without_a_title_is_refused(client, app):
    staff = bearer(client, make_user("secretariat"))
    bad_code = client.post("/api/v1/calls", json=call_json(translations={"xx": FRENCH}), headers=staff)
    assert bad_code.status_code == 422 and list(bad_code.get_json()["errors"]) == ["translations.xx.key"]
    no_title = client.post("/api/v1/calls", json=call_json(translations={"fr": {"description": "x"}}), headers=staff)
    assert no_title.status_code == 422 and list(no_title.get_json()["errors"]) == ["translations.fr.value.title"]


def test_the_secretariat_gives_a_translation_on_the_call_form(client, app):
    staff = make_user("secretariat")
    web_login(client, staff.email)
    form = client.get("/calls/new").get_data(as_text=True)
    assert 'name="text_ar-title"' in form and 'dir="rtl"' in form
    created = post_form(client, "/calls/new", call_form(**{
        "text_fr-title": "Gestion des munitions en Afrique de l'Ouest", "text_fr-description": "<p>Décrit</p>",
        "text_fr-guidelines": "", "text_es-title": "", "text_es-description": "Sin título: ninguna"}))
    assert created.status_code == 302, created.get_data(as_text=True)[:3000]
    call_id = int(created.headers["Location"].rsplit("/", 1)[1])
    french = client.get(f"/calls/{call_id}", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert "Gestion des munitions en Afrique de l&#39;Ouest" in french
    api = client.get(f"/api/v1/calls/{call_id}", headers=bearer(client, staff)).get_json()
    assert set(api["translations"]) == {"fr"}
    # Shown again, for correction, on the next edit.
    assert "Gestion des munitions" in client.get(f"/calls/{call_id}/edit").get_data(as_text=True)
