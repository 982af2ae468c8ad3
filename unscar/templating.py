"""Jinja globals and filters: the same permission predicates as the views, and dates."""
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_login import current_user

from .money import format_money
from .permissions import has_role
from .vocabulary import ORGANISATION_TYPE_LABELS, ROLE_LABELS


def _user_zone():
    name = getattr(current_user, "timezone", None) if current_user else None
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def format_datetime(value: datetime | None, with_utc: bool = True) -> str:
    """A datetime in the viewer's zone (when set) and in UTC."""
    if value is None:
        return ""
    utc = value.strftime("%d %b %Y %H:%M UTC")
    zone = _user_zone()
    if zone is None:
        return utc
    local = value.astimezone(zone).strftime(f"%d %b %Y %H:%M {zone.key}")
    return f"{local} ({utc})" if with_utc else local


def register_helpers(app) -> None:
    app.jinja_env.globals.update(has_role=has_role, ROLE_LABELS=ROLE_LABELS,
                                 ORGANISATION_TYPE_LABELS=ORGANISATION_TYPE_LABELS)
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["money"] = lambda v: "" if v is None else f"{v:,.2f}"
    app.jinja_env.filters["money_api"] = format_money
