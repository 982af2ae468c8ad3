"""Bulk seeding of a call in review the size of the largest comparable funds': 2,500
proposals under review from 900 organisations, a panel of 150 reviewers with their
expertise, languages and links, each in conflict with about 2% of the proposals (as
bench_assignment.py draws them), and, once assigned, every review submitted."""
from datetime import datetime, timezone
from decimal import Decimal

from sqlalchemy import select, text

from unscar.extensions import db
from unscar.regions import REGIONS
from unscar.reviews.models import Assignment, AssignmentStatus
from unscar.vocabulary import THEME_LABELS

from .seed import NOW, PASSWORD, Seeder, call_row, proposal_rows, reset_sequences

PROPOSALS, REVIEWERS, ORGANISATIONS = 2_500, 150, 900
CONFLICT_SHARE = 0.02
LANGUAGES = ("en", "fr", "es", "ar", "ru", "zh")
WEIGHTS = (Decimal("0.40"), Decimal("0.30"), Decimal("0.20"), Decimal("0.10"))
TABLES = ("organisations", "users", "calls", "criteria", "proposals", "budget_lines", "assignments", "reviews",
          "reviewer_links", "declarations", "contributions", "ledger_entries", "donors")


def continuing_seeder() -> Seeder:
    """A seeder whose ids follow those already in the database (the portfolio's, if seeded)."""
    s = Seeder(1.0, seed=20261129)
    for table in TABLES:
        s.ids[table] = db.session.scalar(text(f"SELECT COALESCE(MAX(id), 0) FROM {table}"))
    return s


def seed_review_call() -> dict:
    """The call, its proposals, its panel and its money; commits. Returns the ids the API
    calls need (the call's, the secretariat's e-mail)."""
    s = continuing_seeder()
    secretariat, applicant = _staff(s)
    call = call_row(s, 2026, "in_review", envelope_usd=Decimal("25000000.00"))
    s.insert("calls", [call])
    s.insert("criteria", [{"id": s.next_id("criteria"), "call_id": call["id"], "position": i + 1,
                           "name": f"Criterion {i + 1}", "guidance": "", "weight": w} for i, w in enumerate(WEIGHTS)])
    organisations = [{"id": s.next_id("organisations"), "name": f"Applicant {i:04d}", "type": "ngo",
                      "country": s.place()[0], "created_at": NOW} for i in range(ORGANISATIONS)]
    s.insert("organisations", organisations)
    proposals, lines = [], []
    for _ in range(PROPOSALS):
        proposal, its_lines = proposal_rows(s, call, s.rng.choice(organisations)["id"], "under_review", created_by_id=applicant,
                                            language=s.rng.choices(LANGUAGES, (70, 12, 10, 4, 2, 2))[0])
        proposals.append(proposal)
        lines += its_lines
    s.insert("proposals", proposals)
    s.insert("budget_lines", lines)
    _panel(s, call, [p["id"] for p in proposals], [o["id"] for o in organisations], secretariat)
    _money(s, secretariat)
    db.session.commit()
    reset_sequences(s)
    return {"call_id": call["id"], "secretariat": "review-secretariat@bench.example"}


def _staff(s: Seeder) -> tuple[int, int]:
    """The secretariat's user, and an applicant's who wrote every proposal."""
    ids = s.next_id("users"), s.next_id("users")
    s.insert("users", [{"id": uid, "email": f"review-{role}@bench.example", "name": f"Review {role}",
                        "password_hash": s.password_hash, "organisation_id": None, "donor_id": None,
                        "active": True, "created_at": NOW} for uid, role in zip(ids, ("secretariat", "applicant"))])
    s.insert("user_roles", [{"user_id": uid, "role": role} for uid, role in zip(ids, ("secretariat", "applicant"))])
    return ids


def _panel(s: Seeder, call: dict, proposal_ids: list[int], organisation_ids: list[int], secretariat: int) -> None:
    users, roles, profiles, links, members, declarations, conflicts = [], [], [], [], [], [], []
    for i in range(REVIEWERS):
        uid = s.next_id("users")
        users.append({"id": uid, "email": f"reviewer{i:03d}@bench.example", "name": f"Reviewer {i:03d}",
                      "password_hash": s.password_hash, "organisation_id": None, "donor_id": None,
                      "active": True, "created_at": NOW})
        roles.append({"user_id": uid, "role": "reviewer"})
        profiles.append({"user_id": uid, "themes": s.some(THEME_LABELS, 2, 5), "regions": s.some(REGIONS, 1, 2),
                         "languages": _languages(s), "updated_at": NOW})
        links += [{"id": s.next_id("reviewer_links"), "user_id": uid, "organisation_id": org, "kind": "employment"}
                  for org in s.rng.sample(organisation_ids, s.rng.randint(1, 3))]
        members.append({"call_id": call["id"], "user_id": uid, "added_at": NOW})
        declarations.append({"id": s.next_id("declarations"), "call_id": call["id"], "user_id": uid,
                             "signed_at": NOW})
        conflicts += [{"id": s.next_id("assignments"), "call_id": call["id"], "proposal_id": pid,
                       "reviewer_id": uid, "status": "conflicted", "reason": "Declared.",
                       "assigned_by_id": secretariat, "created_at": NOW, "status_changed_at": NOW}
                      for pid in s.rng.sample(proposal_ids, int(CONFLICT_SHARE * len(proposal_ids)))]
    for table, rows in (("users", users), ("user_roles", roles), ("reviewer_profiles", profiles),
                        ("reviewer_links", links), ("panel_members", members), ("declarations", declarations),
                        ("assignments", conflicts)):
        s.insert(table, rows)


def _languages(s: Seeder) -> list[str]:
    """Nine in ten read English (a tenth of them give no language: English assumed); the
    others French or Spanish, perhaps with one more."""
    if s.rng.random() < 0.9:
        others = s.some(LANGUAGES[1:], 0, 2)
        return sorted({"en", *others}) if others or s.rng.random() < 0.9 else []
    return sorted({s.rng.choice(LANGUAGES[1:3]), *s.some(LANGUAGES[3:], 0, 1)})


def _money(s: Seeder, secretariat: int) -> None:
    """A donor's receipt that leaves the fund enough to commit the call's envelope."""
    donor = s.next_id("donors")
    s.insert("donors", [{"id": donor, "name": "Review Donor", "country": "NOR", "created_at": NOW}])
    contribution = s.next_id("contributions")
    amount, on = Decimal("40000000.00"), datetime(2026, 1, 2, tzinfo=timezone.utc).date()
    s.insert("contributions", [{"id": contribution, "donor_id": donor, "amount": amount, "currency": "USD",
                                "usd_rate": Decimal("1.000000"), "status": "received", "pledged_on": on,
                                "received_on": on, "earmark": None, "created_by_id": secretariat,
                                "created_at": NOW}])
    s.insert("ledger_entries", [
        {"id": s.next_id("ledger_entries"), "kind": kind, "amount_usd": usd, "contribution_id": contribution,
         "donor_id": donor, "grant_id": None, "on_date": on, "created_at": NOW, "actor_id": secretariat,
         "note": None} for kind, usd in (("received", amount), ("psc", amount * Decimal("0.13")))])


def submit_every_review(call_id: int) -> int:
    """A submitted review with a score per criterion for every active assignment of the
    call: reviewers score with their own leniency, as calibration expects. Commits."""
    s = continuing_seeder()
    criteria = list(db.session.scalars(text("SELECT id FROM criteria WHERE call_id = :c ORDER BY position"),
                                       {"c": call_id}))
    assignments = db.session.execute(select(Assignment.id, Assignment.reviewer_id).where(
        Assignment.call_id == call_id, Assignment.status == AssignmentStatus.active)).all()
    leniency = {}
    reviews, scores = [], []
    for assignment_id, reviewer_id in assignments:
        bias = leniency.setdefault(reviewer_id, s.rng.choice((-1, 0, 0, 1)))
        rid = s.next_id("reviews")
        reviews.append({"id": rid, "assignment_id": assignment_id, "comment": s.words(30),
                        "recommendation": s.rng.choice(("fund", "fund_with_changes", "do_not_fund")),
                        "submitted_at": NOW, "voided_at": None, "updated_at": NOW})
        scores += [{"review_id": rid, "criterion_id": cid, "score": min(5, max(1, s.rng.randint(1, 5) + bias)),
                    "comment": ""} for cid in criteria]
    s.insert("reviews", reviews)
    s.insert("review_scores", scores)
    db.session.commit()
    reset_sequences(s)
    return len(reviews)

