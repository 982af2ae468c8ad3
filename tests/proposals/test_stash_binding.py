"""Issue 11, finding 7: a form kept after the session expired goes back only to the
browser that posted it (a SameSite=Strict cookie), and to the same user; another site's
post is never kept; posts are capped by size and rate."""
import pytest
from sqlalchemy import func, select

from tests.factories import CallFactory, make_user
from tests.helpers import csrf_from, web_login
from tests.proposals.pages import make_proposal
from unscar.extensions import db
from unscar.stash import BROWSER_COOKIE, StashedForm


@pytest.fixture
def applicant(app):
    return make_user("applicant")


@pytest.fixture
def url(applicant):
    return f"/proposals/{make_proposal(applicant, CallFactory(), complete=False)}/edit/summary"


def _kept() -> int:
    return db.session.scalar(select(func.count()).select_from(StashedForm))


def _expired_post(client, url: str, title: str = "Typed title"):
    """A post from this site's own page whose session has meanwhile expired."""
    token = csrf_from(client.get("/login").get_data(as_text=True))
    client.delete_cookie("session")
    return client.post(url, data={"csrf_token": token, "title": title})


def test_each_browser_gets_a_strict_same_site_id(client):
    response = client.get("/")
    cookie = next(c for c in response.headers.getlist("Set-Cookie") if c.startswith(BROWSER_COOKIE))
    assert "SameSite=Strict" in cookie and "HttpOnly" in cookie
    assert not any(BROWSER_COOKIE in c for c in client.get("/api/v1/calls").headers.getlist("Set-Cookie"))


def test_a_post_from_another_site_is_not_kept(app, url):
    # A cross-site post carries no SameSite=Strict cookie: like a browser that never came here.
    third_party = app.test_client()
    response = third_party.post(url, data={"title": "Planted text"})
    assert response.status_code == 302 and "restore" not in response.headers["Location"]
    assert _kept() == 0


def test_a_kept_form_goes_back_only_to_the_browser_that_posted_it(app, applicant, url):
    laptop = app.test_client()
    response = _expired_post(laptop, url)
    stash = db.session.scalar(select(StashedForm))
    restore = f"{url}?restore={stash.token}"
    assert stash is not None and stash.token in response.headers["Location"]

    other_browser = app.test_client()
    web_login(other_browser, applicant.email)
    assert "Typed title" not in other_browser.get(restore).get_data(as_text=True)
    assert _kept() == 1  # still there for the browser that typed it

    web_login(laptop, applicant.email)
    assert 'value="Typed title"' in laptop.get(restore).get_data(as_text=True)


def test_a_form_posted_signed_in_goes_back_only_to_that_user(app, applicant, url):
    colleague = make_user("applicant", organisation=applicant.organisation)
    browser = app.test_client()
    web_login(browser, applicant.email)
    browser.post(url, data={"csrf_token": "stale", "title": "Mine"})  # the token lapsed, the log-in held
    stash = db.session.scalar(select(StashedForm))
    assert stash.user_id == applicant.id

    browser.delete_cookie("session")
    web_login(browser, colleague.email)
    assert "Mine" not in browser.get(f"{url}?restore={stash.token}").get_data(as_text=True)
    browser.delete_cookie("session")
    web_login(browser, applicant.email)
    assert 'value="Mine"' in browser.get(f"{url}?restore={stash.token}").get_data(as_text=True)


def test_kept_posts_are_capped_by_rate_per_browser_and_by_size(app, url):
    app.config["RATELIMIT_STASH_BROWSER"] = "2 per hour"
    browser = app.test_client()
    for n in range(3):
        _expired_post(browser, url, f"Title {n}")
    assert _kept() == 2
    another = app.test_client()
    _expired_post(another, url, "x" * (600 * 1024))
    assert _kept() == 2


def test_kept_posts_are_capped_overall(app, url):
    app.config["RATELIMIT_STASH_ALL"] = "2 per hour"
    for n in range(3):
        _expired_post(app.test_client(), url, f"Title {n}")
    assert _kept() == 2
