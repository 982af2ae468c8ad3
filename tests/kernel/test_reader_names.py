"""Names the application does not write itself (languages, countries, regions, time zones)
come in the reader's language from CLDR; English readers read them as before."""
from types import SimpleNamespace

from flask_babel import force_locale

from tests.factories import make_user
from tests.helpers import web_login
from unscar.languages import call_language_refusal, language_choices, language_name
from unscar.regions import countries_by_region, country_choices, country_name, name_order


def test_language_names_follow_the_reader(app):
    assert language_name("de") == "German"
    with force_locale("fr"):
        assert language_name("de") == "allemand"
        assert [code for code, _name in language_choices()[:6]] == ["ar", "zh", "en", "fr", "ru", "es"]
        others = [name for _code, name in language_choices()[6:]]
        assert others == sorted(others, key=name_order)
    with force_locale("zh"):
        assert language_name("fr") == "法语"


def test_a_refused_language_lists_the_alternatives_the_readers_way(app):
    call = SimpleNamespace(languages=["es", "en", "fr"])
    assert call_language_refusal(call, "de") == (
        "This call accepts proposals written in English, French or Spanish only, not in German.")
    assert call_language_refusal(SimpleNamespace(languages=["fr", "es"]), "en") == (
        "This call accepts proposals written in French or Spanish only, not in English.")
    with force_locale("ar"):
        assert "الإنجليزية أو الفرنسية أو الإسبانية" in call_language_refusal(call, "de")


def test_country_names_follow_the_reader_and_stay_iso_names_in_english(app):
    assert country_name("CIV") == "Côte d'Ivoire" and country_name("BOL") == "Bolivia, Plurinational State of"
    assert country_name("XYZ") == "XYZ"
    with force_locale("fr"):
        assert country_name("DEU") == "Allemagne"
        names = [name for _code, name in country_choices()]
        assert names == sorted(names, key=name_order) and names.index("Égypte") < names.index("Espagne")
        groups = countries_by_region()
        # The groups are the regions, named in French too.
        assert ("KEN", "Kenya") in groups["Afrique"] and ("ESP", "Espagne") in groups["Europe"]
    with force_locale("ru"):
        assert country_name("KEN") == "Кения"


def test_the_time_zone_list_names_places_in_the_readers_language(client):
    user = make_user("donor", language="zh")
    web_login(client, user.email)
    page = client.get("/profile").get_data(as_text=True)
    assert '<option value="Africa/Nairobi">内罗毕（肯尼亚）</option>' in page  # Chinese full-width brackets
    assert 'value="Africa/Nairobi">Nairobi (Kenya)<' not in page
