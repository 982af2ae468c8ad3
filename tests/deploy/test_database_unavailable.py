"""A database that cannot be reached answers 503 with Retry-After, never a 500: the
servers' answer while PostgreSQL restarts (test_faults.py does it for real). Fast: part
of the normal suite."""
import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tests.conftest import make_config
from tests.deploy.servers import free_port
from unscar import create_app
from unscar.extensions import db


@pytest.fixture
def unreachable_app(tmp_path):
    # Not TESTING: the production error handlers, as gunicorn serves them.
    url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/gone"  # nothing listens there
    app = create_app(make_config(url, tmp_path, TESTING=False, PROPAGATE_EXCEPTIONS=False))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_the_api_answers_503_with_retry_after_when_the_database_is_away(unreachable_app):
    response = unreachable_app.test_client().get("/api/v1/me", headers={"Authorization": "Bearer some-token"})
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert response.headers["Retry-After"] == "5"
    assert "try again" in response.get_json()["detail"]


def test_a_page_answers_503_when_the_database_is_away(unreachable_app):
    response = unreachable_app.test_client().get("/calls/")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert "try again shortly" in response.get_data(as_text=True)


def test_an_answer_is_delivered_when_the_connection_dies_after_the_view(tmp_path, monkeypatch):
    # PostgreSQL restarting between the view and the request's end: ending the session rolls
    # back on a dead connection, which raises. The answer, already made, must still go out
    # (it became gunicorn's bare 500 under tests/deploy/test_faults.py's restart).
    app = create_app(make_config(f"sqlite:///{tmp_path / 'db.sqlite3'}", tmp_path,
                                 TESTING=False, PROPAGATE_EXCEPTIONS=False))
    app.add_url_rule("/one", "one", lambda: str(db.session.scalar(select(1))))
    closes = []
    real_close = Session.close

    def close_on_a_dead_connection(session):
        closes.append(session)
        if len(closes) == 1:
            raise OperationalError("ROLLBACK", {}, Exception("server closed the connection unexpectedly"))
        return real_close(session)

    monkeypatch.setattr(Session, "close", close_on_a_dead_connection)
    response = app.test_client().get("/one")
    assert (response.status_code, response.text) == (200, "1")
    assert closes  # the dead connection was met, and dropped rather than rolled back
    with app.app_context():
        db.engine.dispose()
