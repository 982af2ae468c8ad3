"""Two submits of one proposal at the same moment make one submission (API.md "submit")."""
import threading

from sqlalchemy import func, select

from tests.bodies import budget_json, proposal_json
from tests.factories import CallFactory, make_user
from tests.helpers import bearer
from unscar.audit.models import AuditEvent
from unscar.extensions import db
from unscar.outbox.models import OutboxMessage


def test_concurrent_submits_make_one_submission_one_event_one_receipt(app, client, make_app):
    owner = make_user("applicant")
    call = CallFactory()
    headers = bearer(client, owner)
    proposal = client.post(f"/api/v1/calls/{call.id}/proposals", json=proposal_json(), headers=headers).get_json()
    client.put(f"/api/v1/proposals/{proposal['id']}/budget", json=budget_json(), headers=headers)
    servers = [make_app(), make_app()]  # two server processes' worth, on the same database
    start = threading.Barrier(len(servers) * 2)
    answers = []

    def submit(server):
        with server.test_client() as worker:
            start.wait()
            response = worker.post(f"/api/v1/proposals/{proposal['id']}/submit", headers=headers)
            answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=submit, args=(s,)) for s in servers * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()
    assert [status for status, _ in answers] == [200] * 4
    assert len({body["submitted_at"] for _, body in answers}) == 1
    submitted = db.session.scalar(select(func.count()).select_from(AuditEvent)
                                  .where(AuditEvent.action == "proposal.submitted"))
    receipts = db.session.scalar(select(func.count()).select_from(OutboxMessage)
                                 .where(OutboxMessage.kind == "submission_receipt"))
    assert (submitted, receipts) == (1, 1)


def test_references_stay_unique_under_concurrent_creation(app, client, make_app):
    call = CallFactory()
    owners = [make_user("applicant") for _ in range(4)]
    tokens = [bearer(client, owner) for owner in owners]
    call_id, year = call.id, call.year  # read here: the test's session is not for threads
    servers = [make_app(), make_app()]
    start = threading.Barrier(len(owners))
    references = []

    def create(server, headers):
        with server.test_client() as worker:
            start.wait()
            for _ in range(3):
                response = worker.post(f"/api/v1/calls/{call_id}/proposals", json={}, headers=headers)
                references.append(response.get_json()["reference"])

    threads = [threading.Thread(target=create, args=(servers[i % 2], h)) for i, h in enumerate(tokens)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(references) == [f"UNSCAR-{year}-{n:04d}" for n in range(1, 13)]
