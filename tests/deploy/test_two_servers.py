"""Two gunicorn servers behind a (round-robin) proxy share PostgreSQL, Redis and the upload
folder; mail leaves only from the worker process, never from a web request."""
import pytest
import redis
import requests
from aiosmtpd.controller import Controller
from sqlalchemy import select

from tests.deploy.conftest import Mailbox, log_in, seed_drafts
from tests.deploy.servers import Deployment, free_port, wait_until
from tests.factories import PASSWORD
from unscar.extensions import db
from unscar.outbox.models import MessageStatus, OutboxMessage

pytestmark = pytest.mark.deploy


def _outbox(app) -> list[tuple]:
    with app.app_context():
        rows = [(m.id, m.to_address, m.kind, m.status) for m in db.session.scalars(select(OutboxMessage))]
        db.session.remove()
    return rows


@pytest.fixture(scope="module")
def deployment():
    """One deployment for this module's tests (starting one takes a while): two servers,
    Redis, the worker and an SMTP server."""
    controller = None
    try:
        smtp_port = free_port()
        controller = Controller(Mailbox(), hostname="127.0.0.1", port=smtp_port, server_hostname="localhost",
                                ready_timeout=10)
        controller.start()
        with Deployment(servers=2, mail_port=smtp_port) as started:
            started.mailbox = controller.handler
            yield started
    finally:
        if controller is not None:
            controller.stop()


def test_two_servers_share_one_state_and_only_the_worker_mails(deployment):
    mailbox = deployment.mailbox
    app = deployment.app()
    first, second = deployment.urls
    [draft] = seed_drafts(app, 1)
    proposal = draft["proposal_id"]
    assert deployment.worker.stop() == 0, deployment.logs()  # SIGTERM: a clean stop

    # A token from one server works on the other; a save on one is read on the other.
    on_first = log_in(first, draft["email"])
    on_second = requests.Session()
    on_second.headers.update(on_first.headers)
    assert on_second.get(f"{second}/api/v1/me", timeout=30).json()["email"] == draft["email"]
    saved = on_first.patch(f"{first}/api/v1/proposals/{proposal}", json={"title": "Saved on the first"},
                           timeout=30)
    assert saved.status_code == 200, saved.text
    assert on_second.get(f"{second}/api/v1/proposals/{proposal}", timeout=30).json()["title"] == "Saved on the first"

    # Submitted on the second, submitted again on the first: one submission.
    submitted = on_second.post(f"{second}/api/v1/proposals/{proposal}/submit", timeout=30)
    assert submitted.status_code == 200, submitted.text
    again = on_first.post(f"{first}/api/v1/proposals/{proposal}/submit", timeout=30)
    assert again.status_code == 200 and again.json()["submitted_at"] == submitted.json()["submitted_at"]

    # With the worker stopped, the receipt waits in the outbox: no web request sent it.
    receipts = [row for row in _outbox(app) if row[2] == "submission_receipt"]
    assert [(r[1], r[3]) for r in receipts] == [(draft["email"], MessageStatus.pending)]
    assert draft["email"] not in [m["To"] for m in mailbox.messages]
    deployment.worker.start()
    wait_until(lambda: all(row[3] == MessageStatus.sent for row in _outbox(app)), 60,
               "the worker to send the outbox", every=0.2)
    assert [m["To"] for m in mailbox.messages].count(draft["email"]) == 1


def test_the_log_in_throttle_and_rate_limits_hold_across_both_servers(deployment):
    app = deployment.app()
    first, second = deployment.urls
    [draft] = seed_drafts(app, 1)
    email = draft["email"]
    # Five failures, split between the servers, lock the address on both.
    for index in range(5):
        url = (first, second)[index % 2]
        wrong = requests.post(f"{url}/api/v1/tokens", json={"email": email, "password": "wrong-password"},
                              timeout=30)
        assert wrong.status_code == 401, wrong.text
    for url in (first, second):
        locked = requests.post(f"{url}/api/v1/tokens", json={"email": email, "password": PASSWORD}, timeout=30)
        assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0, locked.text
    # Counted in the shared Redis, not in either process.
    client = redis.Redis.from_url(deployment.redis.url)
    assert client.zcard(f"unscar:login-failures:{email}") == 5
    client.close()

    # Password resets (5 per hour per address) are counted once across both servers.
    answers = [requests.post(f"{(first, second)[i % 2]}/api/v1/password-reset", json={"email": email},
                             timeout=30).status_code for i in range(6)]
    assert answers == [202] * 5 + [429]
