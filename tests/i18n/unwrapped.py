"""Words a template shows that no gettext call wraps: the text between tags and the
attributes people read (title, placeholder, aria-label, alt) of every template, and the
whole body of the e-mail templates.

`python -m tests.i18n.unwrapped [templates/calls ...]` lists them; the test in
test_templates_wrapped.py fails on any.
"""
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"

# The same in every language: codes, acronyms and the fund's name as an identifier.
NEUTRAL = {"USD", "UTC", "IATI", "CSV", "XLSX", "PDF", "JSON", "ISO", "M49", "ID", "UN", "UNSCAR", "SVG", "PNG",
           "OK", "API", "XML", "HTML", "URL", "SDG", "PoA", "ATT", "ITI", "e.g"}
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "aria-description", "aria-roledescription"}

_TRANS_BLOCK = re.compile(r"{%-?\s*trans\b.*?{%-?\s*endtrans\s*-?%}", re.S)
_COMMENT = re.compile(r"{#.*?#}", re.S)
_TAG = re.compile(r"{%.*?%}", re.S)
_EXPRESSION = re.compile(r"{{.*?}}", re.S)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)


def _blank(match: re.Match) -> str:
    # Keep the line count so findings name the right line; "\x00" stands for an expression.
    return "\x00" + "\n" * match.group(0).count("\n")


def _lines_only(match: re.Match) -> str:
    return "\n" * match.group(0).count("\n")


def _strip_jinja(source: str) -> str:
    # Statements vanish (one inside a tag, `<tr{% if x %} class="y"{% endif %}>`, must leave
    # the tag whole); an expression or a trans block leaves a mark where its text was.
    source = _TRANS_BLOCK.sub(_blank, _COMMENT.sub(_lines_only, source))
    source = _TAG.sub(_lines_only, source)
    return _EXPRESSION.sub(_blank, source)


def _words(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if w not in NEUTRAL and len(w) > 1]


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value and _words(value):
                self.found.append((self.getpos()[0], f'{name}="{value.strip()}"'))

    def handle_data(self, data):
        if _words(data):
            self.found.append((self.getpos()[0], " ".join(data.split())))


def unwrapped_in(path: Path) -> list[tuple[int, str]]:
    source = _strip_jinja(path.read_text(encoding="utf-8"))
    if path.suffix == ".txt":  # e-mails: every line is read
        return [(n, line.strip()) for n, line in enumerate(source.splitlines(), 1) if _words(line)]
    source = _SCRIPT.sub(_blank, source)
    reader = _Reader()
    reader.feed(source)
    reader.close()
    return reader.found


def templates(roots=None) -> list[Path]:
    roots = [Path(r).resolve() for r in roots] if roots else [TEMPLATES]
    found = []
    for root in roots:
        found += [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.suffix in {".html", ".txt"})
    return found


def report(roots=None) -> list[str]:
    return [f"{path.relative_to(TEMPLATES.parent)}:{line}: {text}"
            for path in templates(roots) for line, text in unwrapped_in(path)]


if __name__ == "__main__":
    lines = report(sys.argv[1:])
    print("\n".join(lines) or "Every word is wrapped.")
    sys.exit(1 if lines else 0)
