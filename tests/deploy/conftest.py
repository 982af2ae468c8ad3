"""Fixtures of the deployment tests: an SMTP server to start on demand, and seeding
through the deployment's own database. Each test starts its own Deployment
(servers.py), which stops its processes and removes its folders even on failure."""
import asyncio
from email import message_from_bytes, policy

import pytest
import requests
from aiosmtpd.controller import Controller

from tests.factories import PASSWORD, ProposalFactory, make_user, owner_of
from unscar.extensions import db


class Mailbox:
    """An SMTP handler keeping every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        await asyncio.sleep(0)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def start_smtp():
    """start_smtp(port) → the Mailbox of an SMTP server on that port, stopped after the test."""
    controllers = []

    def start(port: int) -> Mailbox:
        mailbox = Mailbox()
        controller = Controller(mailbox, hostname="127.0.0.1", port=port, server_hostname="localhost",
                                ready_timeout=10)
        controller.start()
        controllers.append(controller)
        return mailbox

    yield start
    for controller in controllers:
        controller.stop()


def seed_drafts(app, count: int) -> list[dict]:
    """`count` complete drafts with budgets on one open call, each by its own applicant:
    [{"email", "proposal_id"}]."""
    with app.app_context():
        drafts = [ProposalFactory(with_budget=True, call=call) for call in [_open_call()] for _ in range(count)]
        seeded = [{"email": owner_of(p).email, "proposal_id": p.id} for p in drafts]
        db.session.remove()
    return seeded


def _open_call():
    from tests.factories import CallFactory

    return CallFactory()


def seed_user(app, *roles: str) -> str:
    with app.app_context():
        email = make_user(*roles).email
        db.session.remove()
    return email


def log_in(url: str, email: str, password: str = PASSWORD) -> requests.Session:
    """A session sending the bearer token `email` gets from the server at `url`."""
    session = requests.Session()
    response = session.post(f"{url}/api/v1/tokens", json={"email": email, "password": password}, timeout=60)
    assert response.status_code == 201, response.text
    session.headers["Authorization"] = f"Bearer {response.json()['token']}"
    return session
