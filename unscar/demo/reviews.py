"""Demo review panels: reviewer profiles, a panel and the optimiser's assignments on this
year's call in review, declarations signed, a conflict declared, reviews (most submitted)
and a draft recommendation."""
from sqlalchemy import select

from ..calls.models import Call, CallStatus
from ..dates import utcnow
from ..decisions import services as decisions
from ..extensions import db
from ..reviews import assigning, panels, services
from ..reviews.models import Assignment

PROFILES = [  # themes, regions, languages
    (["legislation", "end_use_control"], ["Africa"], ["en", "fr"]),
    (["reporting", "points_of_contact"], ["Asia", "Oceania"], ["en"]),
    (["stockpile_management", "weapons_destruction"], ["Africa", "Europe"], ["en", "ru"]),
    (["gender_and_children", "public_awareness"], ["Americas"], ["en", "es"]),
    (["border_control", "end_use_control", "legislation"], ["Asia"], ["en", "ar"]),
]


def call_assignments(call) -> list[Assignment]:
    return list(db.session.scalars(select(Assignment).where(Assignment.call_id == call.id).order_by(Assignment.id)))


class DemoReviews:
    def __init__(self, reviewers, secretariat):
        self.reviewers = reviewers
        self.secretariat = secretariat

    def __call__(self, call: Call, status: CallStatus) -> None:
        if status != CallStatus.in_review or call.year != utcnow().year:
            return
        for reviewer, (themes, regions, languages) in zip(self.reviewers, PROFILES):
            panels.save_profile(self.secretariat, reviewer, themes, regions, languages, [])
        panels.set_panel(self.secretariat, call, [r.id for r in self.reviewers])
        created, _short = assigning.auto_assign(self.secretariat, call)
        for reviewer in self.reviewers:
            panels.sign_declaration(reviewer, call)
        # The first reviewer finds a conflict on one proposal; the optimiser fills the gap.
        first = next(a for a in created if a.reviewer_id == self.reviewers[0].id)
        assigning.declare_conflict(self.reviewers[0], first, "I advised this organisation last year.")
        assigning.auto_assign(self.secretariat, call)
        active = [a for a in call_assignments(call) if a.status.value == "active"]
        for number, assignment in enumerate(active):
            # Reviewers differ in severity (so calibration has work to do); one review in
            # seven stays a draft, so some proposals still miss a review.
            base = 2 + (assignment.proposal_id * 7 + assignment.reviewer_id) % 3
            scores = {c.id: min(call.scale_max, base + c.position % 2) for c in call.criteria}
            services.save_review(assignment.reviewer, assignment, scores, {}, "A sound project with a clear plan.",
                                 "fund" if base >= 3 else "fund_with_changes", submit=number % 7 != 6)
        decisions.make_recommendation(self.secretariat, call)
