"""Jinja filters and globals every template shares: dates in the reader's zone, money,
vocabularies, rich text. Part of the kernel: each part registers its own predicates."""
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_login import current_user
from markupsafe import Markup

from .dates import utcnow
from .money import format_money, group_money
from .permissions import has_role
from .regions import country_name
from .richtext import render_rich_text
from .vocabulary import (ACTIVITY_TYPE_LABELS, BUDGET_CATEGORY_LABELS, INSTRUMENT_LABELS, ORGANISATION_TYPE_LABELS,
                         ORGANISATION_TYPE_PLURALS, ROLE_LABELS, THEME_LABELS)


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


DISPLAY_FORMAT = "%d %b %Y %H:%M"


def local_and_utc(value: datetime | None) -> Markup:
    """A <time> in the viewer's zone and in UTC.

    With a profile zone the server writes both; without one it writes UTC and
    static/js/local-time.js adds the browser's zone (Intl.DateTimeFormat).
    """
    if value is None:
        return Markup("")
    utc = value.strftime(f"{DISPLAY_FORMAT} UTC")
    zone = _user_zone()
    if zone is None:
        return Markup('<time datetime="{}" data-local-time>{}</time>').format(value.isoformat(), utc)
    local = value.astimezone(zone).strftime(f"{DISPLAY_FORMAT} {zone.key}")
    return Markup('<time datetime="{}" data-zone="{}">{}</time> <span class="text-muted utc-time">({})</span>'
                  ).format(value.isoformat(), zone.key, local, utc)


def time_left(until: datetime | None, now: datetime | None = None) -> str:
    """"3 days left", "5 hours 10 minutes left"; empty once passed."""
    if until is None:
        return ""
    seconds = int((until - (now or utcnow())).total_seconds())
    if seconds <= 0:
        return ""
    days, rest = divmod(seconds, 86400)
    hours, minutes = rest // 3600, rest % 3600 // 60

    def plural(n, word):
        return f"{n} {word}{'' if n == 1 else 's'}"

    if days >= 2:
        return f"{plural(days, 'day')} left"
    if days == 1:
        return f"1 day {plural(hours, 'hour')} left"
    if hours:
        return f"{plural(hours, 'hour')} {plural(minutes, 'minute')} left"
    return f"{plural(max(minutes, 1), 'minute')} left"


def rich_text(html: str | None) -> Markup:
    """Stored rich text, cleaned once more on the way out (rows written around the services),
    plain text given its paragraphs."""
    return Markup(render_rich_text(html))


def register_helpers(app) -> None:
    """The filters and vocabularies every template uses. Each part's blueprint adds its own
    permission predicates (the same the views use) as globals: see its views module."""
    app.jinja_env.globals.update(has_role=has_role, ROLE_LABELS=ROLE_LABELS,
                                 ORGANISATION_TYPE_LABELS=ORGANISATION_TYPE_LABELS,
                                 ORGANISATION_TYPE_PLURALS=ORGANISATION_TYPE_PLURALS, THEME_LABELS=THEME_LABELS,
                                 INSTRUMENT_LABELS=INSTRUMENT_LABELS, ACTIVITY_TYPE_LABELS=ACTIVITY_TYPE_LABELS,
                                 BUDGET_CATEGORY_LABELS=BUDGET_CATEGORY_LABELS, utcnow=utcnow)
    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["local_and_utc"] = local_and_utc
    app.jinja_env.filters["time_left"] = time_left
    app.jinja_env.filters["rich_text"] = rich_text
    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.filters["money"] = group_money
    app.jinja_env.filters["money_api"] = format_money


def language_name(code: str | None) -> str:
    import pycountry

    language = pycountry.languages.get(alpha_2=code) if code else None
    return language.name if language else (code or "")
