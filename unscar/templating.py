"""Jinja filters and globals every template shares: dates in the reader's zone, money,
vocabularies, rich text. Part of the kernel: each part registers its own predicates."""
from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask_babel import gettext as _, ngettext
from flask_login import current_user
from markupsafe import Markup

from . import languages
from .dates import utcnow
from .i18n import current_language
from .money import format_money, group_money
from .permissions import has_role
from .regions import country_name, region_name
from .richtext import render_rich_text
from .vocabulary import (ACTIVITY_TYPE_LABELS, BUDGET_CATEGORY_LABELS, INSTRUMENT_LABELS, ORGANISATION_TYPE_LABELS,
                         ORGANISATION_TYPE_PLURALS, ROLE_LABELS, THEME_LABELS)


def _user_zone():
    name = getattr(current_user, "timezone", None) if current_user else None
    try:
        return ZoneInfo(name) if name else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _in_words(value: datetime, zone_name: str | None = None) -> str:
    """Day, month, year and time in the reader's language: "07 Dec 2026 14:30" in English,
    each other language's own order ("7 déc. 2026 14:30", "2026年12月7日 14:30")."""
    language = current_language()
    if language == "en":
        text = babel_dates.format_datetime(value, "dd MMM yyyy HH:mm", locale="en")
    else:
        text = f"{babel_dates.format_skeleton('yMMMd', value, locale=language)} {value:%H:%M}"
    return f"{text} {zone_name}" if zone_name else text


def _day(value: date | None, english: str, skeleton: str) -> str:
    """A day in the reader's language: English in the fund's own pattern, each other
    language in its CLDR order for `skeleton`."""
    if value is None:
        return ""
    if current_language() == "en":
        return babel_dates.format_date(value, english, locale="en")
    return babel_dates.format_skeleton(skeleton, datetime(value.year, value.month, value.day),
                                       locale=current_language())


def format_date_words(value: date | None) -> str:
    """"07 Dec 2026", "7 déc. 2026", "2026年12月7日"."""
    return _day(value, "dd MMM yyyy", "yMMMd")


def format_long_date(value: date | None) -> str:
    """The month in full: "05 March 2026", "5 mars 2026" (e-mails, due dates)."""
    return _day(value, "dd MMMM yyyy", "yMMMMd")


def format_month(value: date | None) -> str:
    """A month and year in the reader's language: "December 2026", "décembre 2026"."""
    if value is None:
        return ""
    return babel_dates.format_skeleton("yMMMM", datetime(value.year, value.month, 1), locale=current_language())


def format_utc(value: datetime | None) -> str:
    """A moment in UTC, in the reader's language: for e-mails, whose reader's zone the
    sender does not know."""
    return "" if value is None else _in_words(value.astimezone(timezone.utc), "UTC")


def format_number(value, places: int | None = None) -> str:
    """A number in the reader's language ("3.75", "3,75"); `places` fixes the decimals."""
    if value is None or value == "":
        return ""
    pattern = "#,##0" + ("." + "0" * places if places else "" if places == 0 else ".###")
    return babel_numbers.format_decimal(value, format=pattern, locale=current_language())


def format_datetime(value: datetime | None, with_utc: bool = True) -> str:
    """A datetime in the viewer's zone (when set) and in UTC."""
    if value is None:
        return ""
    utc = _in_words(value.astimezone(timezone.utc), "UTC")
    zone = _user_zone()
    if zone is None:
        return utc
    local = _in_words(value.astimezone(zone), zone.key)
    return f"{local} ({utc})" if with_utc else local


def local_and_utc(value: datetime | None) -> Markup:
    """A <time> in the viewer's zone and in UTC.

    With a profile zone the server writes both; without one it writes UTC and
    static/js/local-time.js adds the browser's zone (Intl.DateTimeFormat, in the page's language).
    """
    if value is None:
        return Markup("")
    utc = _in_words(value.astimezone(timezone.utc), "UTC")
    zone = _user_zone()
    if zone is None:
        return Markup('<time datetime="{}" data-local-time>{}</time>').format(value.isoformat(), utc)
    local = _in_words(value.astimezone(zone), zone.key)
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
    if days >= 2:
        return ngettext("%(num)d day left", "%(num)d days left", days)
    if days == 1:
        return ngettext("1 day %(num)d hour left", "1 day %(num)d hours left", hours)
    if hours:
        return _("%(hours)s %(minutes)s left", hours=ngettext("%(num)d hour", "%(num)d hours", hours),
                 minutes=ngettext("%(num)d minute", "%(num)d minutes", minutes))
    return ngettext("%(num)d minute left", "%(num)d minutes left", max(minutes, 1))


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
    app.jinja_env.filters["date_words"] = format_date_words
    app.jinja_env.filters["month_words"] = format_month
    app.jinja_env.filters["long_date"] = format_long_date
    app.jinja_env.filters["utc_datetime"] = format_utc
    app.jinja_env.filters["number"] = format_number
    app.jinja_env.filters["local_and_utc"] = local_and_utc
    app.jinja_env.filters["time_left"] = time_left
    app.jinja_env.filters["rich_text"] = rich_text
    app.jinja_env.filters["country_name"] = country_name
    app.jinja_env.filters["region_name"] = region_name
    app.jinja_env.filters["language_name"] = language_name
    app.jinja_env.filters["money"] = group_money
    app.jinja_env.filters["money_api"] = format_money
    app.jinja_env.filters["bdi"] = isolate


def isolate(text):
    """Text a user wrote (a title, a name), isolated from the page's direction: <bdi> finds the
    direction from its first letters, so an English title keeps its punctuation in place in an
    Arabic page and an Arabic name in an English one. Only in element content, never inside
    an attribute, a <title> or an <option>, which take no markup."""
    return Markup("<bdi>%s</bdi>") % text if text else text


def language_name(code: str | None) -> str:
    """The language's name in the reader's language ("French", "français", "法语")."""
    return languages.language_name(code) if code else ""
