"""Rich text (a call's description and guidelines, its criteria's guidance): a small
allow-list of HTML. Text typed without markup keeps its paragraphs and line breaks."""
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "em", "b", "i", "u", "ul", "ol", "li", "a", "h2", "h3", "h4",
                "blockquote", "code", "pre", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}}
URL_SCHEMES = {"http", "https", "mailto"}


def sanitise_html(text: str | None) -> str:
    """Keep the harmless markup; scripts, styles, event handlers and javascript: links go."""
    return nh3.clean(text or "", tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes=URL_SCHEMES, link_rel="noopener noreferrer nofollow").strip()


BLOCK_TAG = re.compile(r"<(p|ul|ol|table|h[234]|blockquote|pre|br)\b", re.IGNORECASE)
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def render_rich_text(text: str | None) -> str:
    """Cleaned HTML ready to show. Without block markup (plain text, or a few inline tags)
    the blank lines become paragraphs and the other line breaks <br>: what was typed is
    what is read, with or without HTML. The input is cleaned first, so the tags added
    here wrap text that is already safe."""
    clean = sanitise_html((text or "").replace("\r\n", "\n"))
    if not clean or BLOCK_TAG.search(clean):
        return clean
    return "".join(f"<p>{part.strip().replace(chr(10), '<br>')}</p>" for part in PARAGRAPH_BREAK.split(clean)
                   if part.strip())
