"""The API answers in the language of Accept-Language: its problems' titles and details,
the project's field messages and marshmallow's own ("Missing data for required field.",
"Not a valid integer.", "Must be one of: ..."); the codes and field names never change.
English stays as it was."""
from flask_babel.speaklater import LazyString
from marshmallow import Schema, class_registry, fields, validate

import unscar.api  # noqa: F401  (every schema of the API defined)
from tests.api.catalogue import pretend_french  # noqa: F401  (fixture)
from unscar.schema_messages import LazyMessage

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9"}
PORTFOLIO = "/api/v1/portfolio"


def test_a_422_names_the_same_fields_in_french(client, pretend_french):
    pretend_french({
        "Some fields are missing or invalid.": "Des champs manquent ou sont invalides.",
        "Not a valid integer.": "Pas un nombre entier valide.",
        "Must be one of: {choices}.": "Doit être l'un de : {choices}.",
        "Must be greater than or equal to {min} and less than or equal to {max}.":
            "Doit être compris entre {min} et {max}.",
    })
    query = "year_from=abc&gender_marker=7&year_to=1800"
    english = client.get(f"{PORTFOLIO}?{query}").get_json()
    french = client.get(f"{PORTFOLIO}?{query}", headers=FRENCH).get_json()
    assert english["detail"] == "Some fields are missing or invalid."
    assert english["errors"] == {"year_from": ["Not a valid integer."], "gender_marker": ["Must be one of: 0, 1, 2."],
                                 "year_to": ["Must be greater than or equal to 1900 and less than or equal to 2200."]}
    assert french["detail"] == "Des champs manquent ou sont invalides."
    assert french["errors"] == {"year_from": ["Pas un nombre entier valide."],
                                "gender_marker": ["Doit être l'un de : 0, 1, 2."],
                                "year_to": ["Doit être compris entre 1900 et 2200."]}
    assert french["status"] == 422 and french["type"] == english["type"]


def test_required_unknown_and_length_messages_follow_the_language(client, pretend_french):
    pretend_french({"Missing data for required field.": "Donnée manquante pour un champ obligatoire.",
                    "Unknown field.": "Champ inconnu.",
                    "Length must be between {min} and {max}.": "La longueur doit être entre {min} et {max}."})
    body = {"email": "", "colour": "blue"}
    english = client.post("/api/v1/tokens", json=body).get_json()["errors"]
    french = client.post("/api/v1/tokens", json=body, headers=FRENCH).get_json()["errors"]
    assert english == {"email": ["Length must be between 1 and 254."], "password": ["Missing data for required field."],
                       "colour": ["Unknown field."]}
    assert french == {"email": ["La longueur doit être entre 1 et 254."],
                      "password": ["Donnée manquante pour un champ obligatoire."], "colour": ["Champ inconnu."]}


def test_a_problem_title_and_detail_follow_the_language(client, pretend_french):
    pretend_french({"Unauthorized": "Non authentifié",
                    "Send a valid token: Authorization: Bearer <token> (POST /api/v1/tokens).":
                        "Envoyez un jeton valide : Authorization: Bearer <token> (POST /api/v1/tokens)."})
    english = client.get("/api/v1/me").get_json()
    french = client.get("/api/v1/me", headers=FRENCH).get_json()
    assert (english["title"], french["title"]) == ("Unauthorized", "Non authentifié")
    assert french["detail"].startswith("Envoyez un jeton valide") and french["status"] == english["status"] == 401


def test_the_projects_own_field_messages_follow_the_language(client, pretend_french):
    pretend_french({"year_to may not come before year_from.": "year_to ne peut précéder year_from."})
    french = client.get(f"{PORTFOLIO}?year_from=2016&year_to=2015", headers=FRENCH).get_json()
    assert french["errors"] == {"year_to": ["year_to ne peut précéder year_from."]}


def _fields(schema: Schema):
    """Every field of a schema, nested ones too."""
    for field in schema.fields.values():
        yield from _field_tree(field)


def _field_tree(field):
    yield field
    if isinstance(field, fields.Nested):
        yield from _fields(field.schema)
    for inner in (getattr(field, "inner", None), getattr(field, "key_field", None),
                  getattr(field, "value_field", None)):
        if inner is not None:
            yield from _field_tree(inner)


def _lazy(message) -> bool:
    return isinstance(message, (LazyMessage, LazyString))


def test_every_message_of_every_schema_is_read_in_the_readers_language(app):
    """A field copies its class's messages when it is made: a schema defined before
    unscar/schema_messages.py installed them would answer in English only."""
    plain = []
    for name, schema_classes in class_registry._registry.items():
        for field in (f for c in schema_classes if "." not in name for f in _fields(c())):
            where = f"{name}.{field.name}"
            plain += [(where, key, text) for key, text in field.error_messages.items() if not _lazy(text)]
            for validator in field.validators:
                if isinstance(validator, (validate.OneOf, validate.Equal, validate.Regexp, validate.Email)):
                    plain += [(where, "error", validator.error)] if not _lazy(validator.error) else []
                if isinstance(validator, (validate.Range, validate.Length)):
                    plain += [(where, m, getattr(validator, m)) for m in ("message_min", "message_max", "message_all")
                              if not _lazy(getattr(validator, m))]
    assert plain == []
