"""Where a page may send the user next: only to this site (STYLE.md: every `next=` is
checked), never to another host named in a link someone was sent."""
from urllib.parse import urlsplit

from flask import request


def safe_next(default: str) -> str:
    """The request's `next` (query or form) when it is a relative URL on this site, else `default`."""
    target = request.args.get("next") or request.form.get("next") or ""
    parts = urlsplit(target)
    # Browsers read "/\\host" as "//host": a backslash anywhere is refused too.
    if (target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not parts.scheme and not parts.netloc):
        return target
    return default
