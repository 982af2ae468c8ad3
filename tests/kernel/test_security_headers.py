"""Security headers on every page, file and API answer, for every role; templates that
keep the Content-Security-Policy (no inline script, event handler or style)."""
import re
from collections import deque
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest

from tests.helpers import post_form
from unscar.demo import DEMO_PASSWORD, load_demo
from unscar.extensions import db

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
PAGES_PER_ROLE = 60
LOGINS = {
    "anonymous": None,
    "applicant": "applicant1@demo.unscar.org",
    "secretariat": "secretariat1@demo.unscar.org",
    "reviewer": "reviewer2@demo.unscar.org",
    "donor": "donor4@demo.unscar.org",
    "admin": "admin5@demo.unscar.org",
}
_LINK = re.compile(r'href="([^"#]+)"')


def _starting_pages(app) -> list[str]:
    """Every page of the url map that takes no argument."""
    return sorted({rule.rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and not rule.arguments
                   and not rule.rule.startswith(("/api/", "/static/"))})


def _crawl(client, start: list[str]):
    """Each page reachable from `start` through links, once, as (url, response)."""
    queue, seen, fetched = deque(start), set(start), 0
    # Bounded by the pages fetched, not the links seen: a long list (the demo's grants)
    # must not end the crawl before the pages behind it are reached.
    while queue and fetched < PAGES_PER_ROLE + len(start):
        url = queue.popleft()
        fetched += 1
        response = client.get(url)
        page = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
        response.close()
        yield url, response
        for href in _LINK.findall(page):
            link = urldefrag(href.replace("&amp;", "&"))[0]
            if urlsplit(link).netloc or not link.startswith("/") or link.startswith("/static/") or link in seen:
                continue
            seen.add(link)
            queue.append(link)


def _assert_headers(url, response, signed_in: bool):
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    for directive in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'",
                      "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'"):
        assert directive in policy, (url, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert headers.get("X-Frame-Options") == "DENY", url
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert headers.get("Referrer-Policy") in ("same-origin", "strict-origin-when-cross-origin"), url
    assert "Strict-Transport-Security" not in headers, url  # plain HTTP: HSTS would be ignored
    if signed_in:
        assert headers.get("Cache-Control") == "no-store", (url, response.status_code)


@pytest.fixture
def demo(app):
    load_demo()
    db.session.commit()


@pytest.mark.parametrize("role", LOGINS)
def test_every_page_has_the_security_headers(app, client, demo, role):
    if LOGINS[role]:
        response = post_form(client, "/login", {"email": LOGINS[role], "password": DEMO_PASSWORD})
        assert response.status_code == 302
    statuses = {}
    for url, response in _crawl(client, _starting_pages(app)):
        assert response.status_code < 500, url
        statuses[url] = response.status_code
        _assert_headers(url, response, signed_in=LOGINS[role] is not None)
    # The crawl reached the pages behind the first ones, not only the lists.
    assert sum(1 for status in statuses.values() if status == 200) >= (4 if role == "anonymous" else 10)


def test_anonymous_pages_may_be_cached_but_not_framed(client):
    response = client.get("/calls/")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_api_answers_to_a_signed_in_user_are_not_stored(app, client):
    from tests.factories import make_user
    from tests.helpers import bearer

    user = make_user("donor")
    db.session.commit()
    response = client.get("/api/v1/me", headers=bearer(client, user))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    anonymous = client.get("/api/v1/me")
    assert anonymous.status_code == 401 and anonymous.headers["X-Frame-Options"] == "DENY"


def test_static_files_stay_cacheable_for_signed_in_users(client, demo):
    post_form(client, "/login", {"email": LOGINS["applicant"], "password": DEMO_PASSWORD})
    response = client.get("/static/css/app.css")
    response.close()
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"
    assert "Content-Security-Policy" in response.headers


def test_hsts_only_over_https(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
    secure = client.get("/", base_url="https://grants.example.org")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def _templates():
    return sorted(TEMPLATES.rglob("*.html"))


def test_no_template_has_inline_script_or_event_handler():
    offences = []
    for path in _templates():
        text = path.read_text()
        for match in re.finditer(r"<script\b[^>]*>", text):
            if 'type="application/json"' in match.group(0):
                continue  # data for the scripts (base.html's messages), which the browser never runs
            if "src=" not in match.group(0) or not text[match.end():].startswith("</script>"):
                offences.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
        for match in re.finditer(r"<[a-zA-Z][^>]*?\son[a-z]+\s*=", text):
            offences.append(f"{path.relative_to(TEMPLATES)}: event handler in {match.group(0)[:60]}")
        if re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", text, re.IGNORECASE):
            offences.append(f"{path.relative_to(TEMPLATES)}: javascript: URL")
    assert offences == []


def test_no_template_has_inline_style():
    offences = [str(path.relative_to(TEMPLATES)) for path in _templates()
                if re.search(r"<style\b|\sstyle\s*=", path.read_text())]
    assert offences == []
