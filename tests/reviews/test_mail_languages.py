"""Each review e-mail goes out in its recipient's language, whoever caused it. Automatic
assignment mails thousands of reviewers at once: it writes one batch per language,
switching the language once per batch, so its statements still do not grow with the call."""
from datetime import timedelta

from flask_babel import force_locale, get_locale

from tests.builders import proposals_under_review
from tests.factories import AssignmentFactory, ReviewFactory, make_user
from tests.helpers import bearer
from unscar.dates import utcnow
from unscar.extensions import db
from unscar.reviews import assigning, panels, reminders, services

# A reviewer's language as the application speaks it: German is not one of the six.
LANGUAGES = {"fr": "fr", "es": "es", "ar": "ar", None: "en", "de": "en"}


def record_language(monkeypatch, module, name: str) -> list:
    """Wraps module.<name> (queue_mail or queue_mails) to note the language each call runs in."""
    calls, original = [], getattr(module, name)

    def recorded(*args, **kwargs):
        calls.append((str(get_locale()), args))
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, recorded)
    return calls


def test_automatic_assignment_mails_each_reviewer_in_their_language_a_batch_per_language(app, monkeypatch):
    call, _proposals = proposals_under_review(4)
    staff = make_user("secretariat")
    reviewers = [make_user("reviewer", language=code) for code in ("fr", "es", None, "fr", "de")]
    panels.set_panel(staff, call, [r.id for r in reviewers])
    batches = record_language(monkeypatch, assigning, "queue_mails")
    with force_locale("ar"):  # the secretariat's own language
        created, _short = assigning.auto_assign(staff, call)
        assert str(get_locale()) == "ar", "the language comes back after the mails"
    language = {r.email: LANGUAGES[r.language] for r in reviewers}
    assert sorted(locale for locale, _args in batches) == ["en", "es", "fr"]
    for locale, (mails, _template) in batches:
        assert {language[to] for to, _subject, _context in mails} == {locale}
    assert sum(len(mails) for _locale, (mails, _template) in batches) == len(created) > 0
    english = next(mails for locale, (mails, _template) in batches if locale == "en")
    assert {subject for _to, subject, _context in english} == {f"A proposal to review for {call.title}"}


def test_assignment_by_hand_mails_the_reviewer_in_their_language(app, monkeypatch):
    call, proposals = proposals_under_review(1)
    reviewer = make_user("reviewer", language="es")
    mails = record_language(monkeypatch, assigning, "queue_mail")
    assigning.assign_reviewer(make_user("secretariat"), call, reviewer.id, proposals[0].id)
    assert [locale for locale, _args in mails] == ["es"]


def test_a_returned_review_is_written_in_its_reviewers_language(app, monkeypatch):
    _call, proposals = proposals_under_review(1)
    reviewer = make_user("reviewer", language="fr")
    assignment = AssignmentFactory(proposal=proposals[0], reviewer=reviewer, declared=True)
    ReviewFactory(assignment=assignment, submitted=True, marks=(3, 3), comment="Fine.")
    mails = record_language(monkeypatch, services, "queue_mail")
    with force_locale("es"):
        services.return_review(make_user("secretariat"), assignment, "Redo.")
    assert [locale for locale, _args in mails] == ["fr"]


def test_review_reminders_are_written_in_each_reviewers_language(app, monkeypatch):
    _call, proposals = proposals_under_review(2)
    for proposal, code in zip(proposals, ("ar", None)):
        AssignmentFactory(proposal=proposal, reviewer=make_user("reviewer", language=code))
    call = proposals[0].call
    call.opens_at, call.closes_at = utcnow() - timedelta(days=60), utcnow() - timedelta(days=20)
    call.review_closes_at = utcnow() + timedelta(days=1)
    db.session.commit()
    mails = record_language(monkeypatch, reminders, "queue_mail")
    assert reminders.remind_review_deadlines() == 2
    assert sorted(locale for locale, _args in mails) == ["ar", "en"]


def test_mixed_languages_cost_the_same_statements_for_many_proposals_as_for_few(client, count_statements):
    # Four reviewers, three per proposal: even the small call mails every one of them.
    reviewers = [make_user("reviewer", language=code) for code in ("fr", "es", None, "ar")]
    headers = bearer(client, make_user("secretariat"))
    statements = {}
    for size in (2, 8):
        call, _proposals = proposals_under_review(size)
        client.put(f"/api/v1/calls/{call.id}/panel", json={"reviewer_ids": [r.id for r in reviewers]},
                   headers=headers)
        with count_statements() as made:
            response = client.post(f"/api/v1/calls/{call.id}/assignments/auto", json={}, headers=headers)
        assert response.status_code == 200 and response.get_json()["created"] == 3 * size
        statements[size] = len(made)
    assert statements[8] == statements[2]
