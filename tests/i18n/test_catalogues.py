"""The catalogues: each of the five translated languages holds every message the code and
the templates use, translated (no empty or fuzzy entry), with the same placeholders and
the plural forms its language has; and every template's text is wrapped."""
import re

import pytest
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from tests.i18n.pseudo import ROOT, extract_messages
from tests.i18n.unwrapped import report
from unscar.i18n import DEFAULT_LANGUAGE, LANGUAGES

TRANSLATED = [code for code in LANGUAGES if code != DEFAULT_LANGUAGE]
PLACEHOLDER = re.compile(r"%\(([a-z_]+)\)[sdf]")
TAG = re.compile(r"</?(?:a|abbr|b|br|code|em|i|kbd|li|p|span|strong|ul)\b[^>]*>")


@pytest.fixture(scope="module")
def messages():
    return extract_messages()


def catalogue(language):
    with open(ROOT / "translations" / language / "LC_MESSAGES" / "messages.po", encoding="utf-8") as handle:
        return read_po(handle, locale=language)


def _msgid(message):
    return message.id if isinstance(message.id, str) else message.id[0]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_in_the_catalogue(language, messages):
    po = catalogue(language)
    problems = []
    for (message_id, context), where in messages.items():
        entry = po.get(message_id, context=context)
        message_id = f"{message_id!r} ({context})" if context else message_id
        if entry is None:
            problems.append(f"missing ({where}): {message_id!r}")
        elif entry.fuzzy:
            problems.append(f"fuzzy ({where}): {message_id!r}")
        elif not all(entry.string if isinstance(entry.string, tuple) else (entry.string,)):
            problems.append(f"not translated ({where}): {message_id!r}")
    assert not problems, (f"{len(problems)} messages of translations/{language} need work "
                          "(run `make messages`, then translate):\n" + "\n".join(problems[:200]))


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_and_the_plural_forms(language):
    po = catalogue(language)
    # The header's rule is Babel's (CLDR's) for the language: French has three forms, Arabic six.
    assert (po.num_plurals, po.plural_expr) == (get_plural(language).num_plurals, get_plural(language).plural_expr)
    problems = []
    for entry in po:
        if not entry.id or not entry.string:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not any(strings):
            continue  # not translated yet: the test above names it
        if isinstance(entry.id, tuple) and len(strings) != po.num_plurals:
            problems.append(f"{len(strings)} plural forms instead of {po.num_plurals}: {ids[0]!r}")
        wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
        tags = sorted(TAG.findall(ids[0]))
        for string in strings:
            got = set(PLACEHOLDER.findall(string))
            # A plural form may leave out the number it stands for ("un jour"), never add a name.
            if got - wanted or (wanted - {"num"}) - got:
                problems.append(f"placeholders {sorted(got)} instead of {sorted(wanted)}: {ids[0]!r} → {string!r}")
            # Markup kept exactly, attributes included: a translation left on a changed message shows here.
            if sorted(TAG.findall(string)) != tags:
                problems.append(f"markup {sorted(TAG.findall(string))} instead of {tags}: {ids[0]!r} → {string!r}")
    assert not problems, "\n".join(problems)


def test_every_template_text_is_wrapped():
    lines = report()
    assert not lines, (f"{len(lines)} texts of the templates are not wrapped for translation "
                       "(python -m tests.i18n.unwrapped lists them):\n" + "\n".join(lines))


# A button's accessible name starts with its visible text (WCAG 2.5.3, axe's
# label-content-name-mismatch): "Remove" shows, "Remove line 3" is read.
VISIBLE_IN_NAME = {"Remove": ["Remove line", "Remove indicator", "Remove outcome", "Remove output",
                              "Remove %(filename)s"]}


@pytest.mark.parametrize("language", TRANSLATED)
def test_an_accessible_name_holds_the_visible_words_in_every_language(language):
    po = catalogue(language)
    for visible, names in VISIBLE_IN_NAME.items():
        shown = po.get(visible).string.casefold()
        for name in names:
            assert shown in po.get(name).string.casefold(), f"{language}: {name!r} does not contain {visible!r}"
