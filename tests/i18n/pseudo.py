"""A pseudo-translation: every message of the catalogue in full-width letters, placeholders
and markup untouched ("Save" → "Ｓａｖｅ"), so a page rendered in it shows at a glance, and
to a test, every word that no gettext call wrapped: those are the only ASCII words left
once the users' own content is set aside.

The messages are those `make messages` extracts (babel.cfg, the Makefile's keywords), read
here with Babel's own extraction, so a message added to the code is in the pseudo catalogue
without running anything first.
"""
import re
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo

ROOT = Path(__file__).resolve().parents[2]
# The Makefile's `messages` target: -k _l -k lazy_gettext -k N_ -k ngettext:1,2 -k lazy_ngettext:1,2.
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "lazy_gettext": None, "N_": None,
            "NC_": ((1, "c"), 2),
            "lazy_ngettext": (1, 2), "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}
METHOD_MAP = [("unscar/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
# Code a pseudo-translation must keep as it is: placeholders, markup, entities, URLs.
_KEEP = re.compile(r"%\([a-z_]+\)[sdf]|%[sd%]|<[^>]*>|&[a-z#0-9]+;|https?://\S+|\{\{.*?\}\}")


def _searched(dirpath: str) -> bool:
    # As `make messages` (--ignore-dirs): hidden folders and caches only; Babel's default
    # would also skip templates/_macros.
    name = dirpath.rstrip("/").rsplit("/", 1)[-1]
    return not name.startswith(".") and name != "__pycache__"


def extract_messages() -> dict:
    """(msgid or (singular, plural), context or None) → where it was found, for the whole project."""
    found = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT), METHOD_MAP, keywords=KEYWORDS, options_map={"templates/**": {"extensions": "jinja2.ext.i18n"}},
            directory_filter=_searched):
        if filename.startswith(("tests", ".venv")):
            continue
        found.setdefault((message, context), f"{filename}:{lineno}")
    return found


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if ("a" <= c <= "z" or "A" <= c <= "Z") else c for c in text)


def pseudo(text: str) -> str:
    """Letters outside placeholders and markup made full-width."""
    out, last = [], 0
    for match in _KEEP.finditer(text):
        out += [_full_width(text[last:match.start()]), match.group(0)]
        last = match.end()
    return "".join(out + [_full_width(text[last:])])


def write_pseudo_catalogue(directory: Path, locale: str) -> None:
    """<directory>/<locale>/LC_MESSAGES/messages.mo, every message pseudo-translated."""
    catalogue = Catalog(locale=locale)
    for message, context in extract_messages():
        if isinstance(message, tuple):
            singular, plural = message[0], message[1]
            catalogue.add((singular, plural), tuple(pseudo(plural if n else singular)
                                                    for n in range(catalogue.num_plurals)), context=context)
        else:
            catalogue.add(message, pseudo(message), context=context)
    target = directory / locale / "LC_MESSAGES"
    target.mkdir(parents=True, exist_ok=True)
    with open(target / "messages.mo", "wb") as handle:
        write_mo(handle, catalogue)
