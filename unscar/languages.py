"""ISO 639-1 languages (pycountry), the six official languages of the United Nations first:
the choices of a call's proposal languages and of a proposal's language."""
from functools import cache

import pycountry

# Arabic, Chinese, English, French, Russian and Spanish, in the order of their English names.
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


def is_language(code) -> bool:
    return isinstance(code, str) and len(code) == 2 and pycountry.languages.get(alpha_2=code.lower()) is not None


@cache
def _names() -> dict[str, str]:
    return {lang.alpha_2: lang.name for lang in pycountry.languages if hasattr(lang, "alpha_2")}


def language_choices(codes=None) -> list[tuple[str, str]]:
    """(code, name) of `codes` (default: every ISO 639-1 language), the UN languages first,
    then the others by name."""
    names = _names()
    codes = list(names) if not codes else [c for c in codes if c in names]
    first = [c for c in UN_LANGUAGES if c in codes]
    rest = sorted((c for c in codes if c not in UN_LANGUAGES), key=names.get)
    return [(c, names[c]) for c in first + rest]


def language_name(code: str) -> str:
    return _names().get(code, code)


def call_language_refusal(call, language) -> str | None:
    """Why a proposal to `call` may not be written in `language` (a sentence), or None.
    A call without languages takes any; no language yet is a missing field, not this."""
    if not language or not call.languages or language in call.languages:
        return None
    names = [name for _code, name in language_choices(call.languages)]
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"This call accepts proposals written in {listed} only, not in {language_name(language)}."
