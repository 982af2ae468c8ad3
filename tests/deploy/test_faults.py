"""Faults on the deployment's own private services, never the machine's shared ones: a web
worker killed mid-submission, the SMTP server down, PostgreSQL restarted under load,
Redis down."""
import os
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from sqlalchemy import func, select

from tests.deploy.conftest import log_in, seed_drafts
from tests.deploy.servers import Deployment, free_port, wait_until
from tests.factories import PASSWORD
from unscar.audit.models import AuditEvent
from unscar.audit.verify import verify_chain
from unscar.extensions import db
from unscar.outbox.models import MessageStatus, OutboxMessage
from unscar.proposals.models import Proposal, ProposalStatus, StatusChange

pytestmark = pytest.mark.deploy


def _post(session, url, **kwargs):
    """(status or the exception's name, body) — a cut connection is an outcome, not an error."""
    try:
        response = session.post(url, timeout=60, **kwargs)
    except requests.RequestException as error:
        return type(error).__name__, None
    return response.status_code, response.json() if response.content else None


def _proposals_state(app, ids):
    """Per proposal: (status, submitted_at set, snapshot set, submissions recorded, audit
    events of submission, receipts queued)."""
    with app.app_context():
        submissions = Counter(db.session.scalars(select(StatusChange.proposal_id).where(
            StatusChange.proposal_id.in_(ids), StatusChange.to_status == ProposalStatus.submitted)))
        audited = Counter(db.session.scalars(select(AuditEvent.object_id).where(
            AuditEvent.object_type == "proposals", AuditEvent.object_id.in_(ids), AuditEvent.action == "proposal.submitted")))
        state = {}
        for p in db.session.scalars(select(Proposal).where(Proposal.id.in_(ids))):
            receipts = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.kind == "submission_receipt", OutboxMessage.subject.contains(p.reference)))
            state[p.id] = (p.status, p.submitted_at is not None, p.checks_snapshot is not None, submissions[p.id],
                           audited[p.id], receipts)
        verdict = verify_chain(None)
        db.session.remove()
    return state, verdict


def test_a_web_worker_killed_mid_submission_loses_nothing_acknowledged():
    with Deployment(servers=1, redis=False, workers=2, threads=4) as deployment:
        app = deployment.app()
        [url] = deployment.urls
        drafts = seed_drafts(app, 40)
        sessions = {d["proposal_id"]: log_in(url, d["email"]) for d in drafts}
        answers = {}
        answered = threading.Semaphore(0)

        def submit(proposal):
            answers[proposal] = _post(sessions[proposal], f"{url}/api/v1/proposals/{proposal}/submit")
            answered.release()

        victims = deployment.servers[0].worker_pids()
        with ThreadPoolExecutor(16) as pool:
            for proposal in sessions:
                pool.submit(submit, proposal)
            for _ in range(8):  # once submissions are well under way, with more in flight
                answered.acquire(timeout=120)
            os.kill(victims[0], signal.SIGKILL)
        cut = {p for p, (status, _) in answers.items() if status != 200}
        assert set(answers) == set(sessions)
        assert all(status == 200 or isinstance(status, str) for status, _ in answers.values()), answers
        assert cut, "the kill cut no request off; it did not land during submissions"

        # Every acknowledged submission is there, once, with everything that goes with it;
        # a cut-off one is either wholly submitted or wholly a draft, never half-written.
        state, verdict = _proposals_state(app, list(sessions))
        whole_submission = (ProposalStatus.submitted, True, True, 1, 1, 1)
        whole_draft = (ProposalStatus.draft, False, False, 0, 0, 0)
        for proposal, row in state.items():
            assert row == whole_submission if proposal not in cut else row in (whole_submission, whole_draft), \
                (proposal, row)
        assert verdict.intact, verdict

        # gunicorn replaced the worker; retrying the cut-off ones submits each exactly once.
        wait_until(lambda: len(set(deployment.servers[0].worker_pids()) - {victims[0]}) == 2, 60,
                   "gunicorn to replace the killed worker")
        for proposal in cut:
            status, body = _post(sessions[proposal], f"{url}/api/v1/proposals/{proposal}/submit")
            assert status == 200 and body["status"] == "submitted", (status, body)
        state, verdict = _proposals_state(app, list(sessions))
        assert set(state.values()) == {whole_submission} and verdict.intact
        print(f"\nSIGKILL of a web worker: {len(cut)} of {len(sessions)} submissions cut off, "
              f"{len(sessions) - len(cut)} acknowledged; none lost, none half-written; the cut-off ones "
              "submitted once on retry.")


def _outbox(app):
    with app.app_context():
        rows = [(m.id, m.status, m.attempts, m.last_error) for m in db.session.scalars(select(OutboxMessage))]
        db.session.remove()
    return rows


def test_mail_waits_while_the_smtp_server_is_down_and_goes_out_once_when_it_is_back(start_smtp):
    smtp_port = free_port()  # nothing listens there yet
    with Deployment(servers=2, redis=False, mail_port=smtp_port) as deployment:
        app = deployment.app()
        drafts = seed_drafts(app, 6)
        for index, draft in enumerate(drafts):
            url = deployment.urls[index % 2]
            assert _post(log_in(url, draft["email"]), f"{url}/api/v1/proposals/{draft['proposal_id']}/submit")[0] == 200
            assert _post(requests.Session(), f"{url}/api/v1/password-reset", json={"email": draft["email"]})[0] == 202

        # The worker tries, fails and keeps every message, with its error, for later.
        wait_until(lambda: all(row[2] >= 1 for row in _outbox(app)), 60, "the worker to try every message")
        rows = _outbox(app)
        assert len(rows) == 12
        assert {row[1] for row in rows} == {MessageStatus.pending}
        assert all("Connection refused" in row[3] or "Errno" in row[3] for row in rows), rows
        assert deployment.worker.process.poll() is None  # still running

        mailbox = start_smtp(smtp_port)
        wait_until(lambda: {row[1] for row in _outbox(app)} == {MessageStatus.sent}, 90,
                   "the worker to send the outbox once the SMTP server is back", every=0.2)
        # Sent rows are never claimed again; a few more rounds of the worker must not resend.
        rounds = deployment.worker.interval * 10
        time.sleep(rounds)
        ids = [message["Message-ID"] for message in mailbox.messages]
        assert len(ids) == len(rows) == len(set(ids)), ids
        assert sorted(m["To"] for m in mailbox.messages) == sorted(d["email"] for d in drafts for _ in range(2))
        print(f"\nSMTP down: {len(rows)} messages kept (attempts {Counter(r[2] for r in rows)}), "
              f"all {len(ids)} sent once when it came back.")


def test_the_application_recovers_from_a_postgresql_restart_under_load():
    with Deployment(servers=2, redis=False) as deployment:
        app = deployment.app()
        drafts = seed_drafts(app, 8)
        sessions = [(deployment.urls[i % 2], log_in(deployment.urls[i % 2], d["email"]), d["proposal_id"])
                    for i, d in enumerate(drafts)]
        masters = [server.process.pid for server in deployment.servers]
        outcomes = []  # (monotonic time, status or exception name)
        acknowledged = {}
        stop = threading.Event()

        def keep_saving(url, session, proposal):
            version = 0
            while not stop.is_set():
                version += 1
                try:
                    response = session.patch(f"{url}/api/v1/proposals/{proposal}", timeout=60,
                                             json={"title": f"Saved v{version}"})
                    status = response.status_code
                except requests.RequestException as error:
                    status = type(error).__name__
                outcomes.append((time.monotonic(), status))
                if status == 200:
                    acknowledged[proposal] = version
                time.sleep(0.05)

        threads = [threading.Thread(target=keep_saving, args=s) for s in sessions]
        for thread in threads:
            thread.start()
        try:
            wait_until(lambda: len(outcomes) >= 40, 60, "the load to get going")
            restart_began = time.monotonic()
            deployment.postgres.restart()
            restarted = time.monotonic()
            wait_until(lambda: [o[1] for o in outcomes if o[0] > restarted][-20:] == [200] * 20, 60,
                       "20 saves in a row to succeed after the restart")
            recovered = time.monotonic()
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=120)
        during = Counter(str(o[1]) for o in outcomes if restart_began <= o[0] <= recovered)
        after = [o[1] for o in outcomes if o[0] > recovered]
        assert after and set(after) == {200}, Counter(after)
        # While it was away: answered, or a 503 asking to try again; never a 500 or a dropped connection.
        assert set(during) <= {"200", "503"}, f"{during}\n{deployment.tracebacks()}"
        assert [server.process.pid for server in deployment.servers] == masters  # never restarted
        assert all(server.process.poll() is None for server in deployment.servers)

        # Every acknowledged save is in the database; the worker, too, carried on.
        with app.app_context():
            db.engine.dispose()  # this process's own pooled connections died with the restart
            titles = dict(db.session.execute(select(Proposal.id, Proposal.title)).all())
            db.session.remove()
        assert all(titles[p] == f"Saved v{v}" for p, v in acknowledged.items())
        url, session, proposal = sessions[0]
        assert _post(session, f"{url}/api/v1/proposals/{proposal}/submit")[0] == 200
        wait_until(lambda: {row[1] for row in _outbox(app)} == {MessageStatus.sent}, 60,
                   "the worker to send mail after the restart")
        print(f"\nPostgreSQL restart under load: restart took {restarted - restart_began:.1f} s, answers from the "
              f"restart until 20 saves in a row succeeded ({recovered - restart_began:.1f} s): {dict(during)}; "
              f"{len(after)} saves after, all 200.")


def test_with_redis_down_log_in_throttling_falls_back_to_the_database_and_nothing_breaks():
    with Deployment(servers=2, redis=True) as deployment:
        app = deployment.app()
        first, second = deployment.urls
        drafts = seed_drafts(app, 2)
        on_first = log_in(first, drafts[0]["email"])
        deployment.redis.stop()

        # Log-ins, saves, submissions and the rate-limited password reset go on.
        on_second = log_in(second, drafts[0]["email"])
        proposal = drafts[0]["proposal_id"]
        saved = on_second.patch(f"{second}/api/v1/proposals/{proposal}", json={"title": "Saved without Redis"},
                                timeout=60)
        assert saved.status_code == 200, saved.text
        assert _post(on_first, f"{first}/api/v1/proposals/{proposal}/submit")[0] == 200
        assert _post(requests.Session(), f"{first}/api/v1/password-reset", json={"email": drafts[0]["email"]})[0] == 202
        assert on_first.get(f"{first}/calls/", timeout=60).status_code == 200

        # The throttle counts in the database, which both servers share.
        email = drafts[1]["email"]
        for index in range(5):
            url = (first, second)[index % 2]
            status, _ = _post(requests.Session(), f"{url}/api/v1/tokens", json={"email": email, "password": "wrong-one"})
            assert status == 401
        for url in (first, second):
            status, body = _post(requests.Session(), f"{url}/api/v1/tokens", json={"email": email, "password": PASSWORD})
            assert status == 429, body

        # Redis back (an empty one): log-ins count there again.
        deployment.redis.start()
        assert log_in(first, drafts[0]["email"]).get(f"{first}/api/v1/me", timeout=60).status_code == 200
        assert "Redis unavailable for the log-in throttle" in deployment.logs()
