"""Helpers for driving the web pages and the API from tests."""
import re

from tests.factories import PASSWORD

_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1) or match.group(2)


def post_form(client, url: str, data: dict, follow_redirects: bool = False, page: str | None = None):
    """GET the form page (or `page`) for its CSRF token, then POST the form."""
    token = csrf_from(client.get(page or url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token}, follow_redirects=follow_redirects)


def web_login(client, email: str, password: str = PASSWORD):
    return post_form(client, "/login", {"email": email, "password": password})


def api_token(client, email: str, password: str = PASSWORD) -> str:
    response = client.post("/api/v1/tokens", json={"email": email, "password": password})
    assert response.status_code == 201, response.get_json()
    return response.get_json()["token"]


def bearer(client, user) -> dict:
    """Authorization headers for `user` (whose password is the factories' PASSWORD)."""
    return {"Authorization": f"Bearer {api_token(client, user.email)}"}
