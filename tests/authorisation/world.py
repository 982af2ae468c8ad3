"""The authorisation matrix's world: two organisations, A and B, with an object of every
kind each, and a user in every role, made once per module through the services.

Side A is "own" and side B "other": the applicant is A's founder, the reviewer is
assigned to A's proposal (another reviewer to B's), so for every role the same URL
parameter names an object it may see (own) and one it may not (other). Staff and donors
see both sides where DESIGN.md's visibility table says so. A's draft, on a second call
still open, is the "draft" and "open_call" variants.
"""
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from tests import files
from tests.builders import funded
from tests.factories import (CallFactory, OrganisationFactory, ProposalFactory, ReviewerProfileFactory, make_user,
                             put_in_review)
from unscar.accounts import documents
from unscar.accounts.models import User
from unscar.accounts.services import make_password_token
from unscar.calls import services as calls
from unscar.dates import utcnow
from unscar.decisions import recording
from unscar.decisions import services as decisions
from unscar.extensions import db
from unscar.funds import services as funds
from unscar.grants import report_files, reports, revisions
from unscar.grants.models import Grant
from unscar.proposals.models import Proposal
from unscar.reviews import assigning, panels
from unscar.reviews import services as reviews
from unscar.screening import clarifications
from unscar.screening import services as screening_services

# An id no row has, within PostgreSQL's integer, for the "missing" variant.
MISSING = 2**31 - 1


@dataclass
class Side:
    """One organisation's objects: the ids the URL parameters take."""
    organisation_id: int
    founder_id: int
    colleague_id: int
    reviewer_id: int
    proposal_id: int          # under review, with a file, a clarification and a submitted review
    attachment_id: int
    clarification_id: int
    reference: str            # the grant's proposal: a funded project in the portfolio
    document_id: int          # the organisation's registration document
    assignment_id: int = 0    # the side's reviewer on the side's proposal
    grant_id: int = 0         # approved from the side's other proposal in the same call
    report_id: int = 0        # a filed narrative report, with a file
    report_file_id: int = 0
    revision_id: int = 0      # pending


@dataclass
class World:
    own: Side
    other: Side
    users: dict = field(default_factory=dict)  # role -> user id acting in that role
    call_id: int = 0
    template_id: int = 0
    recommendation_id: int = 0
    donor_id: int = 0
    contribution_id: int = 0  # a pledge
    invitation_token: str = ""
    reset_token: str = ""
    # Side A's draft (with a file) on another call, still open: DESIGN.md's table shows
    # drafts to their organisation and the staff only, never to donors.
    draft: dict = field(default_factory=dict)


def _side(staff, call, name: str):
    """An organisation with its founder, a colleague and a registration document; its
    reviewer (not a member); a proposal under review with a file and a question; and a
    second proposal, screened, for the grant. Returns the Side and that second proposal."""
    organisation = OrganisationFactory(name=f"Organisation {name}")
    founder = make_user("applicant", organisation=organisation, email=f"founder-{name}@example.org")
    colleague = make_user("applicant", organisation=organisation, email=f"colleague-{name}@example.org")
    reviewer = make_user("reviewer", email=f"reviewer-{name}@example.org")
    ReviewerProfileFactory(reviewer=reviewer)
    proposal = ProposalFactory(call=call, owner=founder, attachments=[f"plan {name}.pdf"], submitted=True)
    question = clarifications.ask_clarification(staff, proposal, "Who trains the officers?")
    to_fund = ProposalFactory(call=call, owner=founder, submitted=True)
    for each in (proposal, to_fund):
        screening_services.screen_proposal(staff, each, "eligible", "Screened.")
    document = documents.add_document(founder, organisation, f"registration {name}.pdf", files.pdf_bytes(name))
    db.session.commit()
    side = Side(organisation_id=organisation.id, founder_id=founder.id, colleague_id=colleague.id,
                reviewer_id=reviewer.id, proposal_id=proposal.id, attachment_id=proposal.attachments[0].id,
                clarification_id=question.id, reference=to_fund.reference, document_id=document.id)
    return side, to_fund


def _review_and_fund(staff, call, side: Side, to_fund: Proposal) -> None:
    """The side's reviewer scores its proposal; the donors approve the other one."""
    reviewer = db.session.get(User, side.reviewer_id)
    assignment = assigning.assign_reviewer(staff, call, side.reviewer_id, side.proposal_id)
    if not panels.has_declared(reviewer, call):
        panels.sign_declaration(reviewer, call)
    scores = {c.id: 4 for c in call.criteria}
    reviews.save_review(reviewer, assignment, scores, {}, "Clear objectives.", "fund", submit=True)
    grant = recording.record_decision(staff, to_fund, "approved", to_fund.requested_usd, "Approved.", "SPG-1").grant
    db.session.commit()
    side.assignment_id, side.grant_id = assignment.id, grant.id


def _grant_work(side: Side) -> None:
    """A filed narrative report with a file, and a pending no-cost extension."""
    founder = db.session.get(User, side.founder_id)
    grant = db.session.get(Grant, side.grant_id)
    report = reports.file_narrative_report(founder, grant, grant.start_date, grant.start_date + timedelta(days=90),
                                           "Officers trained.", [])
    attached = report_files.add_report_attachment(founder, report, "photos.pdf", files.pdf_bytes("report"))
    revision = revisions.request_revision(founder, grant, [], grant.end_date + timedelta(days=60), "Elections.")
    db.session.commit()
    side.report_id, side.report_file_id, side.revision_id = report.id, attached.id, revision.id


def build_world() -> World:
    staff = make_user("secretariat", email="secretariat@example.org")
    call = CallFactory(reviewers_per_proposal=1, title="The matrix's call")
    template = calls.add_template(staff, call, "budget template.pdf", files.pdf_bytes("template"))
    (own, own_to_fund), (other, other_to_fund) = _side(staff, call, "a"), _side(staff, call, "b")
    call.closes_at = utcnow() - timedelta(days=1)  # past its deadline and in review
    put_in_review(call)
    panels.set_panel(staff, call, [own.reviewer_id, other.reviewer_id])
    donor = funded(staff=staff)
    for side, to_fund in ((own, own_to_fund), (other, other_to_fund)):
        _review_and_fund(staff, call, side, to_fund)
        _grant_work(side)
    recommendation = decisions.make_recommendation(staff, call)
    pledge = funds.record_contribution(staff, donor, Decimal("5000.00"), "USD", Decimal("1"), "pledged", date.today())
    draft = ProposalFactory(call=CallFactory(title="An open call"), owner=db.session.get(User, own.founder_id),
                            attachments=["draft plan.pdf"])
    decisions.make_recommendation(staff, draft.call)  # computed early: donors must still not see it
    donor_user = make_user("donor", email="donor@example.org", donor_id=donor.id)
    admin = make_user("admin", email="admin@example.org")
    db.session.commit()
    colleague = db.session.get(User, own.colleague_id)
    return World(own=own, other=other, call_id=call.id, template_id=template.id,
                 recommendation_id=recommendation.id, donor_id=donor.id, contribution_id=pledge.id,
                 users={"applicant": own.founder_id, "reviewer": own.reviewer_id, "secretariat": staff.id,
                        "donor": donor_user.id, "admin": admin.id},
                 invitation_token=make_password_token(colleague, "invite"),
                 reset_token=make_password_token(colleague),
                 draft={"proposal_id": draft.id, "attachment_id": draft.attachments[0].id, "call_id": draft.call_id})
