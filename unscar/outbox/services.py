"""Queueing e-mail in the caller's transaction, and sending what is due.

queue_mail() only adds a row, so a message exists exactly when the change that caused
it was committed. send_due_mail() claims due messages (row claims under SKIP LOCKED on
PostgreSQL, the write lock on SQLite), so concurrent runs never send one twice; a
failure keeps the message pending with its attempt count and an exponential back-off.
"""
import logging
import re
import smtplib
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, or_, select

from ..dates import utcnow
from ..extensions import db
from ..locking import acquire_write_lock
from .models import MessageStatus, OutboxMessage

log = logging.getLogger(__name__)
CLAIM_SECONDS = 300
BATCH_SIZE = 50


# In the message's language: the caller queues it inside in_language_of(recipient).
HIDDEN_NOTE = _l("[a personal link was sent here; it is not shown to staff]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str) -> str:
    """Header text on one line: control characters (CR, LF, ...) become a space."""
    return _CONTROL.sub(" ", text).strip()


def queue_mail(to: str, subject: str, template: str, kind: str = "notice", hidden: tuple[str, ...] = (),
               **context) -> OutboxMessage:
    """Render templates/mail/<template>.txt and queue it; the caller commits.

    Context values named in `hidden` (a reset or invitation link: whoever reads it can
    take the account) go into the body that is sent but never into display_body, which
    is what the outbox page shows. Links in the context come from links.external_url(),
    which needs no request.
    """
    message = OutboxMessage(**_message(to, subject, template, kind, hidden, context))
    db.session.add(message)
    return message


def queue_mails(mails, template: str, kind: str = "notice") -> None:
    """queue_mail for many messages of one template, as (to, subject, context) triples with
    nothing hidden, written in one multi-row insert (a call's automatic assignment mails
    thousands of reviewers at once); the caller commits. The bodies are rendered here, in
    the language of the moment: callers group their recipients by language and call it once
    per group inside in_language_of(one of them), subjects made there too."""
    rows = [_message(to, subject, template, kind, (), context) for to, subject, context in mails]
    if rows:
        db.session.execute(insert(OutboxMessage), rows)


def _message(to: str, subject: str, template: str, kind: str, hidden: tuple[str, ...], context: dict) -> dict:
    body = render_template(f"mail/{template}.txt", **context)
    # Rendered twice only when something is hidden.
    display_body = (render_template(f"mail/{template}.txt", **{**context, **dict.fromkeys(hidden, str(HIDDEN_NOTE))})
                    if hidden else body)
    return {"to_address": to, "subject": one_line(str(subject))[:300], "body": body, "display_body": display_body,
            "kind": kind}


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0
    gave_up: int = 0


def _claim_due(limit: int) -> tuple[str, list[OutboxMessage]]:
    now = utcnow()
    token = str(uuid.uuid4())
    acquire_write_lock()
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.status == MessageStatus.pending,
               OutboxMessage.next_attempt_at <= now,
               or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now))
        .order_by(OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    messages = list(db.session.scalars(stmt))
    for message in messages:
        message.claim_token = token
        message.claimed_until = now + timedelta(seconds=CLAIM_SECONDS)
    db.session.commit()
    return token, messages


def _to_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """The message to send; ValueError when it cannot be built (e.g. a bad address)."""
    if _CONTROL.search(message.to_address):
        raise ValueError("The address holds control characters.")
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    # Never a header line break from stored text, whatever let it in (header injection).
    email["Subject"] = one_line(message.subject)
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(idstring=f"outbox-{message.id}")
    email.set_content(message.body)
    return email


def _open_smtp(config) -> smtplib.SMTP:
    cls = smtplib.SMTP_SSL if config["MAIL_USE_SSL"] else smtplib.SMTP
    smtp = cls(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config["MAIL_TIMEOUT_SECONDS"])
    try:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            smtp.starttls()
        if config["MAIL_USERNAME"]:
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
    except BaseException:
        smtp.close()  # a refused login would otherwise leave the socket open
        raise
    return smtp


def _mark_sent(message: OutboxMessage) -> None:
    # The session read this row before the (slow) send; on SQLite writing on that stale
    # snapshot fails once a concurrent run has committed, so take the lock first.
    acquire_write_lock()
    message.status = MessageStatus.sent
    message.sent_at = utcnow()
    message.attempts += 1
    message.claim_token = None
    message.claimed_until = None
    db.session.commit()


def _mark_failed(message: OutboxMessage, error: Exception, result: SendResult) -> None:
    config = current_app.config
    acquire_write_lock()  # as in _mark_sent
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:500]
    message.claim_token = None
    message.claimed_until = None
    if message.attempts >= config["MAIL_MAX_ATTEMPTS"]:
        message.status = MessageStatus.failed
        result.gave_up += 1
    else:
        delay = config["MAIL_BACKOFF_SECONDS"] * 2 ** (message.attempts - 1)
        message.next_attempt_at = utcnow() + timedelta(seconds=delay)
    result.failed += 1
    db.session.commit()


def _give_up(message: OutboxMessage, error: Exception, result: SendResult) -> None:
    """A message that cannot be built fails for good at once: retrying changes nothing,
    and it must not hold up the others."""
    acquire_write_lock()
    message.attempts += 1
    message.status = MessageStatus.failed
    message.last_error = f"Cannot be built: {type(error).__name__}: {error}"[:500]
    message.claim_token = None
    message.claimed_until = None
    result.failed += 1
    result.gave_up += 1
    db.session.commit()


def _build(messages: list[OutboxMessage], sender: str, result: SendResult) -> list[tuple]:
    """(message, email) for each message that can be built; the others are given up."""
    built = []
    for message in messages:
        try:
            built.append((message, _to_email(message, sender)))
        except (ValueError, TypeError, LookupError) as error:
            log.warning("Outbox message %s cannot be built: %s", message.id, error)
            _give_up(message, error, result)
    return built


def _release(messages: list[OutboxMessage]) -> None:
    acquire_write_lock()
    for message in messages:
        message.claim_token = None
        message.claimed_until = None
    db.session.commit()


def send_due_mail(limit: int = BATCH_SIZE) -> SendResult:
    """Send the messages that are due; each outcome is committed as soon as it is known."""
    config = current_app.config
    result = SendResult()
    _token, messages = _claim_due(limit)
    if not messages:
        return result
    built = _build(messages, config["MAIL_DEFAULT_SENDER"], result)
    if not built:
        return result
    messages = [message for message, _email in built]
    if not config["MAIL_SERVER"]:
        # The local demo's mail goes to the log (links included, or nobody could use
        # them); it is never shown on a page.
        for message in messages:
            log.info("Mail (no MAIL_SERVER set) to %s: %s\n%s",
                     message.to_address, message.subject, message.body)
            _mark_sent(message)
            result.sent += 1
        return result
    try:
        smtp = _open_smtp(config)
    except (OSError, smtplib.SMTPException) as error:
        log.warning("SMTP server unavailable: %s", error)
        for message in messages:
            _mark_failed(message, error, result)
        return result
    # Stop well before the claim lapses, so another run never picks up a message this
    # one is still about to send; what is left is released for the next run.
    deadline = time.monotonic() + CLAIM_SECONDS / 2
    try:
        for index, (message, email) in enumerate(built):
            if time.monotonic() > deadline:
                _release(messages[index:])
                break
            try:
                smtp.send_message(email)
            except ValueError as error:  # e.g. an address smtplib cannot encode
                _give_up(message, error, result)
            except (OSError, smtplib.SMTPException) as error:
                _mark_failed(message, error, result)
            else:
                _mark_sent(message)
                result.sent += 1
    finally:
        try:
            smtp.quit()
        except (OSError, smtplib.SMTPException):
            smtp.close()  # everything is recorded; a bad goodbye changes nothing
    return result
