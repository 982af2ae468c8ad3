"""An audit event's before and after as rows a person reads: one row per field that changed
(every field of a creation or a deletion), its values written out, not as JSON."""
from typing import NamedTuple

from flask_babel import gettext as _


class Change(NamedTuple):
    field: str
    before: str
    after: str


def _label(key: str) -> str:
    return key.replace("_", " ").replace(".", " ").strip().capitalize() or key


def _text(value) -> str:
    """One value as text: lists joined, mappings as "key: value", booleans as yes/no."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_text(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return ", ".join(_text(v) for v in value)
    return str(value)


def changed_fields(before: dict | None, after: dict | None) -> list[Change]:
    """The fields of either side, in the order they were written, that differ; a value
    described on one side only (a creation, a deletion, a note) is listed with the other
    side empty."""
    before, after = before or {}, after or {}
    if not isinstance(before, dict) or not isinstance(after, dict):  # rows written by hand, long ago
        return [Change(_("Value"), _text(before), _text(after))]
    keys = list(before) + [k for k in after if k not in before]
    return [Change(_label(k), _text(before.get(k)), _text(after.get(k))) for k in keys
            if k not in before or k not in after or before[k] != after[k]]
