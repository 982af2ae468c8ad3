"""Every page of every role in a pseudo-language (tests/i18n/pseudo.py): no English word is
left that a gettext call does not wrap.

The demo world is the one of the browser tests (every object in every state). Its users'
own words (titles, names, comments, e-mails as they were sent) are content, not interface:
before the crawl they are rewritten in full-width letters like the catalogue, so that any
ASCII word still on a page is interface text nobody wrapped. The pages, and the objects
that fill their URLs, are those of tests/browser/test_every_page.py. Greek stands in for the
pseudo-language: Babel then writes dates, country and language names in Greek script, so
they too must come from the locale, not from English tables.
"""
import re

import pytest
import sqlalchemy as sa
from lxml import html
from sqlalchemy import select

from tests.browser.demo_world import build_demo_database, copy_for_test
from tests.browser.test_every_page import (ROLES, STAFF_EMAILS, applicant_emails, may_see, page_rules,
                                           parameters, urls)
from tests.conftest import make_config
from tests.i18n.pseudo import _full_width, write_pseudo_catalogue
from tests.i18n.unwrapped import NEUTRAL
from unscar import create_app, i18n
from unscar.accounts.models import User
from unscar.demo import DEMO_PASSWORD
from unscar.extensions import db

PSEUDO = "el"
# Columns that hold codes, keys and addresses, not words people wrote.
CODE_COLUMNS = {"email", "to_address", "password_hash", "timezone", "language", "country", "currency", "reference",
                "agreement_number", "kind", "object_type", "claim_token", "token", "token_hash", "sha256",
                "storage_key", "media_type", "path", "browser_hash", "action", "prev_hash", "hash",
                "organisation_country", "filename"}
# JSON columns whose strings are words people wrote (the rest hold codes).
WORDS_IN_JSON = {("proposals", "results"), ("audit_events", "before"), ("audit_events", "after"),
                 ("recommendations", "result"), ("stashed_forms", "fields")}
READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# Addresses, file names and references are the same in every language.
NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|\S+\.(pdf|docx?|xlsx?|csv|png|odt|txt)\b|[A-Z]+-\d{4}-\d+\S*"
                       r"|\b[A-Z]{2,3}\b")  # and ISO codes (KEN, fr), the same in every language
WORD = re.compile(r"[A-Za-z]{2,}")


def _content_to_full_width(value, in_json: bool = False):
    if isinstance(value, str):
        # In JSON, codes ("interim", "financial") sit beside words people wrote, which have spaces.
        return _full_width(value) if not in_json or " " in value.strip() else value
    if isinstance(value, list):
        return [_content_to_full_width(v, True) for v in value]
    if isinstance(value, dict):
        return {k: _content_to_full_width(v, True) for k, v in value.items()}
    return value


def rewrite_content() -> None:
    """The users' words in full-width letters, in place (a test's own copy of the demo, whose
    audit log this test alone may rewrite: its append-only trigger is dropped first)."""
    if db.engine.dialect.name == "sqlite":
        db.session.execute(sa.text("DROP TRIGGER audit_events_no_update"))
    else:
        db.session.execute(sa.text("DROP TRIGGER audit_events_append_only ON audit_events"))
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns
                   if (isinstance(c.type, (sa.String, sa.Text)) and not isinstance(c.type, sa.Enum)
                       and c.name not in CODE_COLUMNS and not c.primary_key)
                   or (table.name, c.name) in WORDS_IN_JSON]
        if not columns or table.name in {"audit_chain"}:
            continue
        key = list(table.primary_key.columns)
        rows = db.session.execute(select(*key, *columns)).all()
        for row in rows:
            values = {c.name: _content_to_full_width(getattr(row, c.name)) for c in columns}
            db.session.execute(table.update().where(*(k == getattr(row, k.name) for k in key)).values(**values))
    db.session.commit()


def english_left(page: str) -> list[str]:
    """Text of the page that still holds ASCII words: what no gettext call wrapped."""
    tree = html.fromstring(page)
    # Not this page's language: scripts, text marked as another language (the switcher names
    # each language in itself) or as not to be translated (the audit log's records as stored),
    # and the time-zone list, where CLDR names a few places in English only (exemplar cities).
    for element in tree.xpath("//script|//style|//*[@lang and @lang != $lang]|//*[@translate='no']"
                              "|//select[@name='timezone']", lang=PSEUDO):
        element.drop_tree()
    texts = [t for t in tree.xpath("//body//text()")]
    texts += [v for name in READ_ATTRIBUTES for v in tree.xpath(f"//@{name}")]
    texts += tree.xpath("//title/text()")
    found = []
    for text in texts:
        words = [w for w in WORD.findall(NOT_WORDS.sub(" ", text)) if w not in NEUTRAL]
        if words:
            found.append(f"{' '.join(words[:6])!r} in {' '.join(text.split())[:100]}")
    return found


@pytest.fixture(scope="module")
def pseudo_app(database_template, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("pseudo")
    url = copy_for_test(build_demo_database(tmp, database_template, suffix="pseudo"), tmp)
    write_pseudo_catalogue(tmp / "translations", PSEUDO)
    app = create_app(make_config(url, tmp, WTF_CSRF_ENABLED=False, BABEL_TRANSLATION_DIRECTORIES=";".join(
        [str(tmp / "translations"), app_translations()])))
    with app.app_context():
        rewrite_content()
        # The demo's readers of other languages read the pseudo-language here, like everyone.
        db.session.execute(sa.update(User).values(language=None))
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def app_translations() -> str:
    from config import Config

    return Config.BABEL_TRANSLATION_DIRECTORIES


@pytest.fixture
def pseudo_language(monkeypatch):
    # The switcher and the selector take the pseudo-language as one of the application's.
    monkeypatch.setitem(i18n.LANGUAGES, PSEUDO, "Ψευδο")


# Every role once per CI run, as the browser crawl: all on SQLite, the anonymous pages on
# PostgreSQL (EVERY_PAGE_ROLES, .ci/run).
@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_english_that_is_not_wrapped(role, pseudo_app, pseudo_language):
    app = pseudo_app
    with app.app_context():
        emails = applicant_emails() if role == "applicant" else STAFF_EMAILS[role]
        given = {email: parameters(db.session.scalar(select(User).where(User.email == email)) if email else None)
                 for email in emails}
        rules = [rule for rule in page_rules(app) if may_see(rule.endpoint, role)]
    problems, checked = {}, set()
    for email in emails:
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = PSEUDO
        if email:
            signed_in = client.post("/login", data={"email": email, "password": DEMO_PASSWORD})
            assert signed_in.status_code == 302, email
        for rule in rules:
            for url, shows in urls(rule, given[email]):
                if shows in checked:
                    continue
                response = client.get(url)
                if response.status_code != 200 or response.mimetype != "text/html":
                    continue
                checked.add(shows)
                assert f'lang="{PSEUDO}"' in response.get_data(as_text=True)[:200], url
                for text in english_left(response.get_data(as_text=True)):
                    problems.setdefault(text, url)
    assert checked
    assert not problems, (f"{len(problems)} texts of the {role}'s pages are not wrapped for translation "
                          "(first URL shown):\n" + "\n".join(f"{url}: {text}" for text, url in problems.items()))
