"""Work on a language's catalogue in batches, for translators.

    python translations/catalogue.py todo LANG [N]     the next N untranslated messages, as JSON
    python translations/catalogue.py fill LANG FILE    put FILE's translations into the catalogue
    python translations/catalogue.py status LANG       how many are translated, and problems

FILE is JSON: {msgid: translation} for a message, {msgid: [form, form, ...]} for a message
with plural forms (msgid is then the singular; as many forms as the language has, in the
order its Plural-Forms header gives). A message with a context (the same English word for
different things, "due" of a tranche or of a report) is keyed "context\u0004msgid", as
`todo` shows in its "key". `fill` refuses a translation whose placeholders
(%(name)s) differ from the message's, and reports it.
"""
import json
import re
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
PLACEHOLDER = re.compile(r"%\(([a-z_]+)\)[sdf]")


def _path(language: str) -> Path:
    return HERE / language / "LC_MESSAGES" / "messages.po"


def _read(language: str):
    with open(_path(language), "rb") as handle:
        return read_po(handle, locale=language)


def _write(language: str, catalogue) -> None:
    with open(_path(language), "wb") as handle:
        write_po(handle, catalogue, width=76, omit_header=False, sort_output=True, include_previous=False)


def _done(message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(message.id) and all(strings) and not message.fuzzy


def todo(language: str, count: int = 100) -> list:
    catalogue = _read(language)
    batch = []
    for message in catalogue:
        if message.id and not _done(message):
            if isinstance(message.id, tuple):
                item = {"msgid": message.id[0], "plural": message.id[1], "forms": catalogue.num_plurals,
                        "plural_forms": catalogue.plural_forms}
            else:
                item = {"msgid": message.id}
            if message.context:
                item.update(context=message.context, key=f"{message.context}\u0004{item['msgid']}")
            batch.append(item)
        if len(batch) >= count:
            break
    return batch


def _placeholders_problem(ids, strings) -> str | None:
    wanted = set().union(*(PLACEHOLDER.findall(i) for i in ids))
    for string in strings:
        got = set(PLACEHOLDER.findall(string))
        if got - wanted or (wanted - {"num"}) - got:
            return f"placeholders {sorted(got)} instead of {sorted(wanted)}"
    return None


def fill(language: str, source: str) -> list[str]:
    catalogue = _read(language)
    translations = json.loads(Path(source).read_text(encoding="utf-8"))
    plural_ids = {(m.id[0], m.context): m for m in catalogue if isinstance(m.id, tuple)}
    problems = []
    for key, translation in translations.items():
        context, _sep, msgid = key.rpartition("\u0004")
        context = context or None
        message = plural_ids.get((msgid, context)) or catalogue.get(msgid, context=context)
        if message is None:
            problems.append(f"not in the catalogue: {msgid!r}")
            continue
        if isinstance(message.id, tuple):
            forms = translation if isinstance(translation, list) else [translation] * catalogue.num_plurals
            if len(forms) != catalogue.num_plurals or not all(forms):
                problems.append(f"{catalogue.num_plurals} forms needed: {msgid!r}")
                continue
            strings, ids = tuple(forms), message.id
        else:
            if not isinstance(translation, str) or not translation:
                problems.append(f"one string needed: {msgid!r}")
                continue
            strings, ids = (translation,), (message.id,)
        problem = _placeholders_problem(ids, strings)
        if problem:
            problems.append(f"{problem}: {msgid!r}")
            continue
        message.string = strings if isinstance(message.id, tuple) else strings[0]
        message.flags.discard("fuzzy")
    _write(language, catalogue)
    return problems


def status(language: str) -> str:
    catalogue = _read(language)
    messages = [m for m in catalogue if m.id]
    done = sum(_done(m) for m in messages)
    return f"{language}: {done} of {len(messages)} translated"


if __name__ == "__main__":
    command, language = sys.argv[1], sys.argv[2]
    if command == "todo":
        print(json.dumps(todo(language, int(sys.argv[3]) if len(sys.argv) > 3 else 100), ensure_ascii=False, indent=1))
    elif command == "fill":
        found = fill(language, sys.argv[3])
        print("\n".join(found) or "All filled.")
        print(status(language))
    elif command == "status":
        print(status(language))
