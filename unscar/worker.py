"""The mail worker (`flask --app wsgi unscar worker`): the one process that sends the
outbox's mail and queues reminders, so no web request waits on the SMTP server, and the
reminders that `unscar remind` queues once.

Every pass runs in a fresh session: a pass that fails (the database restarting, the SMTP
server away) is logged and tried again on the next round, and a dead connection is not
carried into it. The worker stops between passes on SIGTERM or SIGINT.
"""
import logging
import signal
import threading
import time

from .extensions import db

log = logging.getLogger("unscar.worker")


def remind() -> list[tuple[str, int]]:
    """Queue every reminder that is due (each goes out once) and commit; (label, count)s."""
    from .grants.reminders import remind_reports
    from .reviews.reminders import remind_review_deadlines
    from .screening.reminders import send_reminders

    results = send_reminders()
    results.append(("Reviews reminded of their deadline", remind_review_deadlines()))
    results.append(("Grant reports reminded (due soon or overdue)", remind_reports()))
    db.session.commit()
    return results


def _attempt(name: str, work) -> bool:
    try:
        work()
        return True
    except Exception:  # noqa: BLE001 (any failure: log it, keep the worker alive)
        log.exception("The worker's %s pass failed; trying again next round.", name)
        return False
    finally:
        try:
            db.session.remove()  # a dead connection must not poison the next pass
        except Exception:  # noqa: BLE001
            log.exception("Could not discard the session.")


def _send_all_due(stop: threading.Event) -> None:
    from .outbox.services import BATCH_SIZE, send_due_mail

    # A full batch means more may be due: keep going rather than wait a round.
    while not stop.is_set():
        result = send_due_mail(BATCH_SIZE)
        if result.sent:
            log.info("Sent %d, failed %d (gave up on %d).", result.sent, result.failed, result.gave_up)
        if result.sent + result.failed < BATCH_SIZE:
            return


def run_worker(interval: float, remind_every: float) -> None:
    """Mail every `interval` seconds and reminders every `remind_every`, until a signal."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    next_reminders = 0.0
    while not stop.is_set():
        if time.monotonic() >= next_reminders and _attempt("reminders", remind):
            next_reminders = time.monotonic() + remind_every
        _attempt("mail", lambda: _send_all_due(stop))
        stop.wait(interval)
