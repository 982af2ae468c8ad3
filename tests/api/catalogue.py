"""A catalogue made up for a test: a few French messages, so a test can show that an answer
follows the reader's language before the translators have written translations/fr."""
import io

import flask_babel
import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import NullTranslations, Translations


def translations_of(language: str, messages: dict) -> Translations:
    """messages: {msgid: msgstr}, or {(singular, plural): (msgstr for each plural form)}."""
    catalog = Catalog(locale=language)
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


@pytest.fixture
def pretend_french(monkeypatch):
    """pretend_french({msgid: msgstr, ...}): those messages read in French from then on."""
    def install(messages: dict) -> None:
        french = translations_of("fr", messages)

        def get_translations(_domain):
            locale = flask_babel.get_locale()
            return french if locale is not None and str(locale) == "fr" else NullTranslations()

        monkeypatch.setattr(flask_babel.Domain, "get_translations", get_translations)

    return install
