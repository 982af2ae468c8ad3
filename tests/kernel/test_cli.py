"""The `flask unscar` commands."""
import time

from sqlalchemy import func, select

from tests.factories import make_user
from tests.helpers import api_token, csrf_from
from unscar.accounts.models import User
from unscar.extensions import db


def test_create_user_makes_the_first_admin(runner, client):
    result = runner.invoke(args=["unscar", "create-user", "--email", "Admin@Example.org", "--password",
                                 "an admin password", "--name", "First Admin", "--role", "admin",
                                 "--role", "secretariat"])
    assert result.exit_code == 0, result.output
    assert "Created user" in result.output
    token = api_token(client, "admin@example.org", "an admin password")
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).get_json()
    assert sorted(me["roles"]) == ["admin", "secretariat"]


def test_create_user_explains_what_is_wrong(runner):
    make_user("donor", email="taken@example.org")
    result = runner.invoke(args=["unscar", "create-user", "--email", "taken@example.org", "--password",
                                 "long password 1", "--name", "X", "--role", "donor"])
    assert result.exit_code != 0 and "already" in result.output
    result = runner.invoke(args=["unscar", "create-user", "--email", "new@example.org", "--password",
                                 "short", "--name", "X", "--role", "donor"])
    assert result.exit_code != 0 and "10 characters" in result.output
    result = runner.invoke(args=["unscar", "create-user", "--email", "new@example.org", "--password",
                                 "long password 1", "--name", "X", "--role", "emperor"])
    assert result.exit_code != 0


def test_demo_loads_once_and_prints_the_log_ins(runner):
    result = runner.invoke(args=["unscar", "demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "demo-password-2026" in result.output and "secretariat" in result.output
    users = db.session.scalar(select(func.count()).select_from(User))
    assert users > 5
    again = runner.invoke(args=["unscar", "demo", "--if-empty"])
    assert again.exit_code == 0 and "already" in again.output
    assert db.session.scalar(select(func.count()).select_from(User)) == users


def test_a_csrf_token_does_not_expire_under_a_long_form(client, monkeypatch):
    """An applicant may spend a day on a form: the token lives as long as the session."""
    user = make_user("donor")
    token = csrf_from(client.get("/login").get_data(as_text=True))
    later = time.time() + 3 * 24 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    response = client.post("/login", data={"email": user.email, "password": "correct-horse-battery",
                                           "csrf_token": token})
    assert response.status_code == 302
