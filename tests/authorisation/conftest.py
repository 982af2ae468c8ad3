"""One application, one world and one signed-in visitor per role for the whole module.

Building the world per case would cost minutes; instead it is built once, every role
signs in once (pages) and takes a token once (API), and the snapshot puts the database
back after any request that changed it.
"""
import shutil

import pytest

from tests.authorisation.matrix import ROLES
from tests.authorisation.snapshot import Snapshot
from tests.authorisation.world import build_world
from tests.conftest import ON_POSTGRES, _end_request_transaction, _forget_previous_request, _truncate_all, make_config
from tests.factories import PASSWORD
from tests.helpers import csrf_from, web_login
from unscar import create_app
from unscar.accounts.models import User
from unscar.extensions import db
from unscar.stash import BROWSER_COOKIE


class Visitor:
    """A role's credentials: the cookies and CSRF token for pages, the bearer token for
    the API. Each request sends them afresh, so a log-out (undone by the snapshot) ends
    nothing. Pages get a minimal form (the CSRF token alone), the API `{}`."""

    def __init__(self, app, role: str | None, email: str | None = None):
        self.role, self.token = role, None
        self.client = app.test_client(use_cookies=False)
        browser = app.test_client()
        if email:
            assert web_login(browser, email).status_code == 302, f"{email} could not sign in"
            response = browser.post("/api/v1/tokens", json={"email": email, "password": PASSWORD})
            assert response.status_code == 201, response.get_json()
            self.token = response.get_json()["token"]
        self.csrf = csrf_from(browser.get("/password/reset").get_data(as_text=True))
        names = (app.config["SESSION_COOKIE_NAME"], BROWSER_COOKIE)
        self.cookie = "; ".join(f"{name}={browser.get_cookie(name).value}" for name in names)

    def open(self, url: str, method: str):
        headers, body = {}, {}
        if url.startswith("/api/"):
            if self.token:
                headers["Authorization"] = f"Bearer {self.token}"
            if method in ("POST", "PUT", "PATCH"):
                body = {"json": {}}
        else:
            headers["Cookie"] = self.cookie
            if method == "POST":
                body = {"data": {"csrf_token": self.csrf}}
        response = self.client.open(url, method=method, headers=headers, **body)
        response.close()
        return response


@pytest.fixture(scope="module")
def matrix_app(database_template, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("authorisation")
    if ON_POSTGRES:
        url = database_template
    else:
        shutil.copyfile(database_template, tmp / "world.sqlite3")
        url = f"sqlite:///{tmp / 'world.sqlite3'}"
    # Rate limits are not the subject here (tests/accounts/test_ratelimits.py).
    app = create_app(make_config(url, tmp, RATELIMIT_ENABLED=False))
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_previous_request)
    app.teardown_request(_end_request_transaction)
    with app.app_context():
        yield app
        db.session.rollback()
    if ON_POSTGRES:
        _truncate_all(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def matrix(matrix_app):
    """The world, a visitor per role (None: anonymous) and the snapshot to restore it."""
    world = build_world()
    visitors = {None: Visitor(matrix_app, None)}
    for role in ROLES:
        visitors[role] = Visitor(matrix_app, role, db.session.get(User, world.users[role]).email)
    snapshot = Snapshot(matrix_app, matrix_app.config["UPLOAD_FOLDER"])
    snapshot.take()
    yield world, visitors, snapshot
    snapshot.close()
