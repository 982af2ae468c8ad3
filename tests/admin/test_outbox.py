"""The e-mail outbox against a real SMTP server (aiosmtpd on a free local port)."""
import asyncio
import logging
import socket
import threading
from collections import Counter
from contextlib import ExitStack
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import func, select

from tests.factories import make_user
from unscar.accounts.models import User
from unscar.dates import freeze_clock, utcnow
from unscar.extensions import db
from unscar.links import external_url
from unscar.outbox.models import MessageStatus, OutboxMessage
from unscar.outbox.services import queue_mail, send_due_mail

SMTP_LOGIN, SMTP_PASSWORD = "unscar", "smtp-secret"


class Mailbox:
    """An SMTP handler that keeps every message it accepts."""

    def __init__(self, delay: float = 0.0, require_auth: bool = False):
        self.delay = delay
        self.require_auth = require_auth
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        # Refusing here rather than with aiosmtpd's auth_required, which warns when
        # combined with auth_require_tls=False.
        if self.require_auth and not session.authenticated:
            return "530 5.7.0 Authentication required"
        await asyncio.sleep(self.delay)
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    @property
    def recipients(self) -> list[str]:
        return [message["To"] for message in self.messages]


def _check_password(server, session, envelope, mechanism, auth_data):
    ok = (auth_data.login, auth_data.password) == (SMTP_LOGIN.encode(), SMTP_PASSWORD.encode())
    # handled=False: aiosmtpd then answers 535 itself rather than leave the client waiting.
    return AuthResult(success=ok, handled=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def start_smtp():
    """Start an SMTP server (on `port`, else a free one); each is stopped after the test."""
    controllers = []

    def start(mailbox=None, port=None, **smtp_options) -> Controller:
        # server_hostname spares aiosmtpd a reverse DNS look-up of this machine.
        controller = Controller(mailbox or Mailbox(), hostname="127.0.0.1", port=port or free_port(),
                                server_hostname="localhost", ready_timeout=10, **smtp_options)
        controller.start()
        controllers.append(controller)
        return controller

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def mail_app(make_app):
    """Build an app sending to 127.0.0.1:<port> and enter its context for the test."""
    with ExitStack() as contexts:
        def build(port: int, **settings):
            app = make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_TIMEOUT_SECONDS=5, **settings)
            contexts.enter_context(app.app_context())
            return app

        yield build
        db.session.rollback()


@pytest.fixture
def frozen_clock():
    """Pin the clock to now; the test moves it with freeze_clock, and it is released after."""
    now = utcnow()
    freeze_clock(now)
    try:
        yield now
    finally:
        freeze_clock(None)


def queue_reset_mail(to: str | None = None) -> OutboxMessage:
    user = make_user("applicant")
    return queue_mail(to or user.email, "Reset your UNSCAR Grants password", "password_reset",
                      user=user, link=external_url("accounts.reset_password", token="t0k3n"), minutes=60)


def send_mail(app) -> str:
    result = app.test_cli_runner().invoke(args=["unscar", "send-mail"])
    assert result.exit_code == 0, result.output
    return result.output


def test_send_mail_delivers_the_queued_message_over_smtp(mail_app, start_smtp):
    server = start_smtp()
    app = mail_app(server.port)
    message = queue_reset_mail()
    db.session.commit()
    user = db.session.scalar(select(User).where(User.email == message.to_address))

    assert "Sent 1, failed 0" in send_mail(app)

    [received] = server.handler.messages
    assert received["To"] == user.email
    assert received["Subject"] == "Reset your UNSCAR Grants password"
    assert received["From"] == app.config["MAIL_DEFAULT_SENDER"]
    body = received.get_content()
    assert body.startswith(f"Dear {user.name},")
    assert "http://127.0.0.1:5000/password/reset/t0k3n" in body
    assert (message.status, message.attempts, message.last_error) == (MessageStatus.sent, 1, None)
    assert message.sent_at is not None


def test_message_of_a_rolled_back_change_is_never_sent(mail_app, start_smtp):
    server = start_smtp()
    app = mail_app(server.port)
    queue_reset_mail()
    db.session.rollback()

    assert "Sent 0, failed 0" in send_mail(app)
    assert server.handler.messages == []
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_send_mail_logs_in_to_a_server_that_requires_it(mail_app, start_smtp, mechanism):
    other = {"PLAIN": "LOGIN", "LOGIN": "PLAIN"}[mechanism]
    server = start_smtp(Mailbox(require_auth=True), authenticator=_check_password,
                        auth_require_tls=False, auth_exclude_mechanism=[other])
    app = mail_app(server.port, MAIL_USERNAME=SMTP_LOGIN, MAIL_PASSWORD=SMTP_PASSWORD)
    message = queue_reset_mail()
    db.session.commit()

    send_mail(app)

    assert server.handler.recipients == [message.to_address]
    assert message.status == MessageStatus.sent


def test_wrong_smtp_password_keeps_the_message_pending(mail_app, start_smtp):
    server = start_smtp(Mailbox(require_auth=True), authenticator=_check_password,
                        auth_require_tls=False)
    app = mail_app(server.port, MAIL_USERNAME=SMTP_LOGIN, MAIL_PASSWORD="wrong")
    message = queue_reset_mail()
    db.session.commit()

    assert "Sent 0, failed 1" in send_mail(app)

    assert server.handler.messages == []
    assert (message.status, message.attempts) == (MessageStatus.pending, 1)
    assert message.last_error.startswith("SMTPAuthenticationError")


def test_message_waits_for_a_server_that_is_down_and_goes_out_once(mail_app, start_smtp, frozen_clock):
    port = free_port()  # nothing listens here yet
    app = mail_app(port, MAIL_BACKOFF_SECONDS=60)
    message = queue_reset_mail()
    db.session.commit()

    assert "Sent 0, failed 1" in send_mail(app)
    assert (message.status, message.attempts) == (MessageStatus.pending, 1)
    assert message.next_attempt_at == frozen_clock + timedelta(seconds=60)
    assert "Connection" in message.last_error

    send_mail(app)  # before the back-off has passed: not tried again
    assert message.attempts == 1

    server = start_smtp(port=port)
    freeze_clock(frozen_clock + timedelta(seconds=61))
    assert "Sent 1, failed 0" in send_mail(app)
    assert "Sent 0, failed 0" in send_mail(app)

    assert server.handler.recipients == [message.to_address]
    assert (message.status, message.attempts) == (MessageStatus.sent, 2)


def test_message_fails_for_good_after_max_attempts(mail_app, frozen_clock):
    app = mail_app(free_port(), MAIL_BACKOFF_SECONDS=60, MAIL_MAX_ATTEMPTS=3)
    message = queue_reset_mail()
    db.session.commit()

    delays = []
    for _ in range(3):
        send_mail(app)
        delays.append(message.next_attempt_at - utcnow())
        freeze_clock(message.next_attempt_at)
    assert delays[:2] == [timedelta(seconds=60), timedelta(seconds=120)]  # doubling back-off
    assert (message.status, message.attempts) == (MessageStatus.failed, 3)

    freeze_clock(utcnow() + timedelta(days=30))
    assert "Sent 0, failed 0" in send_mail(app)
    assert message.attempts == 3


def test_two_concurrent_runs_send_each_message_exactly_once(make_app, start_smtp):
    # A slow server and small batches make the two runs claim batches in turn.
    server = start_smtp(Mailbox(delay=0.005))
    apps = [make_app(MAIL_SERVER="127.0.0.1", MAIL_PORT=server.port) for _ in range(2)]
    with apps[0].app_context():
        addresses = [queue_reset_mail(f"person{i}@example.org").to_address for i in range(40)]
        db.session.commit()

    start = threading.Barrier(2)
    sent_by_run, errors = [0, 0], []

    def run(index: int) -> None:
        try:
            with apps[index].app_context():
                start.wait()
                while (result := send_due_mail(limit=3)).sent or result.failed:
                    sent_by_run[index] += result.sent
        except Exception as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Counter(server.handler.recipients) == Counter(addresses)
    assert all(sent_by_run), f"the runs did not overlap: {sent_by_run}"
    with apps[0].app_context():
        statuses = db.session.scalars(select(OutboxMessage.status)).all()
    assert statuses == [MessageStatus.sent] * 40


def test_without_mail_server_mail_goes_to_the_log(app, runner, caplog):
    message = queue_reset_mail()
    db.session.commit()
    caplog.set_level(logging.INFO, logger="unscar.outbox")

    result = runner.invoke(args=["unscar", "send-mail"])

    assert "Sent 1, failed 0" in result.output
    assert message.to_address in caplog.text
    assert "Reset your UNSCAR Grants password" in caplog.text
    assert message.status == MessageStatus.sent
