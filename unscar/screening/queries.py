"""The intake list of a call: which proposals, filtered and sorted how, and the counts
per status; each in one statement, whatever the number of proposals."""
import json

from flask_babel import gettext as _
from sqlalchemy import Select, String, cast, func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from ..accounts.models import Organisation
from ..calls.models import Call, CallStatus
from ..calls.permissions import visible_calls
from ..calls.queries import in_listing_order
from ..errors import NotFound
from ..extensions import db
from ..proposals.models import Proposal, ProposalStatus
from ..proposals.permissions import is_own
from ..proposals.queries import get_proposal_or_404
from ..vocabulary import OrganisationType
from .models import Clarification

# Submitted or later: everything the secretariat has received, drafts never.
INTAKE_STATES = [s for s in ProposalStatus if s != ProposalStatus.draft]
SORTS = {
    "submitted": (Proposal.submitted_at.asc(),),
    "-submitted": (Proposal.submitted_at.desc(),),
    "requested": (Proposal.requested_usd.asc(),),
    "-requested": (Proposal.requested_usd.desc(),),
    "reference": (Proposal.reference.asc(),),
    "-reference": (Proposal.reference.desc(),),
    "organisation": (Organisation.name.asc(),),
    "-organisation": (Organisation.name.desc(),),
}
DEFAULT_SORT = "submitted"


def _json_list_has(column, key: str):
    """The JSON list in `column` holds `key`.

    Searched as text for the quoted key ("legislation" with its quotes, so no key matches
    inside a longer one): the same SQL on SQLite, which stores JSON as text, and on
    PostgreSQL, whose json type keeps the text as written, with no per-dialect operator.
    The keys come from a fixed vocabulary, LIKE's wildcards are escaped, and the rows are
    already narrowed to one call, so the scan stays small.
    """
    return cast(column, String).contains(json.dumps(key), autoescape=True)


def intake_proposals(call_id: int, filters: dict) -> Select:
    """The call's proposals from submission on, with their organisation joined (eager), as
    `filters` asks: status, organisation_type, country, theme, verified ("yes"/"no"), q
    (title or reference), sort (a key of SORTS). Absent or empty values do not filter."""
    stmt = (select(Proposal).join(Proposal.organisation).options(contains_eager(Proposal.organisation))
            .where(Proposal.call_id == call_id, Proposal.deleted_at.is_(None),
                   Proposal.status.in_(INTAKE_STATES)))
    if filters.get("status"):
        stmt = stmt.where(Proposal.status == ProposalStatus(filters["status"]))
    if filters.get("organisation_type"):
        stmt = stmt.where(Organisation.type == OrganisationType(filters["organisation_type"]))
    if filters.get("country"):
        stmt = stmt.where(_json_list_has(Proposal.countries, filters["country"]))
    if filters.get("theme"):
        stmt = stmt.where(_json_list_has(Proposal.themes, filters["theme"]))
    if filters.get("verified") == "yes":
        stmt = stmt.where(Organisation.verified_at.is_not(None))
    elif filters.get("verified") == "no":
        stmt = stmt.where(Organisation.verified_at.is_(None))
    if filters.get("q"):
        text = filters["q"].strip()
        stmt = stmt.where(or_(Proposal.title.icontains(text, autoescape=True),
                              Proposal.reference.icontains(text, autoescape=True)))
    order = SORTS.get(filters.get("sort") or DEFAULT_SORT, SORTS[DEFAULT_SORT])
    return stmt.order_by(*order, Proposal.id)


def calls_with_intake(user) -> Select:
    """The calls past drafting, in the calls' listing order, each with `received`: how
    many proposals it has from submission on (one correlated count per call, in SQL)."""
    received = (select(func.count()).where(Proposal.call_id == Call.id, Proposal.deleted_at.is_(None),
                                           Proposal.status.in_(INTAKE_STATES))
                .correlate(Call).scalar_subquery().label("received"))
    stmt = visible_calls(user).where(Call.status != CallStatus.draft).add_columns(received)
    return in_listing_order(stmt)


def status_counts(call_id: int) -> dict[str, int]:
    """How many of the call's proposals are in each state from submission on (GROUP BY),
    in the order of the workflow; states without proposals are left out."""
    rows = db.session.execute(
        select(Proposal.status, func.count()).where(Proposal.call_id == call_id, Proposal.deleted_at.is_(None),
                                                    Proposal.status.in_(INTAKE_STATES))
        .group_by(Proposal.status)).all()
    counted = {status: count for status, count in rows}
    return {s.value: counted[s] for s in INTAKE_STATES if s in counted}


def clarifications_of(proposal_id: int) -> list[Clarification]:
    """A proposal's questions with their answer files, oldest first."""
    return list(db.session.scalars(select(Clarification).where(Clarification.proposal_id == proposal_id)
                                   .options(selectinload(Clarification.files)).order_by(Clarification.id)))


def questions_for_applicant(user, proposal: Proposal) -> list[Clarification]:
    """The questions shown on a proposal's page: to its own organisation only."""
    return clarifications_of(proposal.id) if is_own(user, proposal) else []


def clarifications_for_organisation(organisation_id: int) -> list[Clarification]:
    """An organisation's questions, unanswered first, for the applicant's list."""
    stmt = (select(Clarification).join(Clarification.proposal)
            .options(contains_eager(Clarification.proposal), selectinload(Clarification.files))
            .where(Proposal.organisation_id == organisation_id, Proposal.deleted_at.is_(None))
            .order_by(Clarification.answered_at.is_not(None), Clarification.id.desc()))
    return list(db.session.scalars(stmt))


def get_clarification_or_404(user, clarification_id: int) -> Clarification:
    clarification = db.session.scalar(select(Clarification).where(Clarification.id == clarification_id)
                                      .options(selectinload(Clarification.files)))
    if clarification is None:
        raise NotFound(_("No such clarification."))
    clarification.proposal = get_proposal_or_404(user, clarification.proposal_id, details=False)
    return clarification
