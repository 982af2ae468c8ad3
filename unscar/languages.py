"""ISO 639-1 languages (pycountry), the six official languages of the United Nations first:
the choices of a call's proposal languages and of a proposal's language.

Each language is named in the reader's language (CLDR's names, through babel), or by its
English ISO 639 name (pycountry) where CLDR has none."""
from functools import cache

import pycountry
from babel import Locale
from babel.lists import format_list
from flask_babel import gettext as _

from .i18n import reader_locale
from .regions import name_order

# Arabic, Chinese, English, French, Russian and Spanish, in the order of their English names.
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


def is_language(code) -> bool:
    return isinstance(code, str) and len(code) == 2 and pycountry.languages.get(alpha_2=code.lower()) is not None


@cache
def _names(locale: Locale) -> dict[str, str]:
    return {lang.alpha_2: locale.languages.get(lang.alpha_2) or lang.name
            for lang in pycountry.languages if hasattr(lang, "alpha_2")}


def language_choices(codes=None) -> list[tuple[str, str]]:
    """(code, name) of `codes` (default: every ISO 639-1 language), the UN languages first,
    then the others by name."""
    names = _names(reader_locale())
    codes = list(names) if not codes else [c for c in codes if c in names]
    first = [c for c in UN_LANGUAGES if c in codes]
    rest = sorted((c for c in codes if c not in UN_LANGUAGES), key=lambda c: name_order(names[c]))
    return [(c, names[c]) for c in first + rest]


def language_name(code: str) -> str:
    return _names(reader_locale()).get(code, code)


def _alternatives(names: list[str]) -> str:
    """"French or Spanish", "English, French or Spanish": the reader's way of listing
    alternatives (CLDR). British English, which the fund writes, puts no comma before "or"."""
    locale = reader_locale()
    return format_list(names, style="or", locale="en_GB" if locale.language == "en" else locale)


def call_language_refusal(call, language) -> str | None:
    """Why a proposal to `call` may not be written in `language` (a sentence), or None.
    A call without languages takes any; no language yet is a missing field, not this."""
    if not language or not call.languages or language in call.languages:
        return None
    names = [name for _code, name in language_choices(call.languages)]
    return _("This call accepts proposals written in %(languages)s only, not in %(language)s.",
             languages=_alternatives(names), language=language_name(language))
