"""Reviewer profiles, call panels and the per-call declaration."""
from flask_babel import gettext as _
from sqlalchemy import select

from ..accounts.models import Organisation, User
from ..audit.services import record_event
from ..errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from ..extensions import db
from .models import Declaration, LinkKind, PanelMember, ReviewerLink, ReviewerProfile


def _is_staff(user) -> bool:
    return user.has_role("secretariat", "admin")


def get_profile(user_id: int) -> ReviewerProfile | None:
    return db.session.get(ReviewerProfile, user_id)


def save_profile(actor, reviewer: User, themes, regions, languages, links: list[dict]) -> ReviewerProfile:
    """Kept by the secretariat or the reviewer itself; links are standing conflicts."""
    if not (_is_staff(actor) or actor.id == reviewer.id):
        raise PermissionDenied(_("Only the secretariat or the reviewer keeps a reviewer profile."))
    if not reviewer.has_role("reviewer"):
        raise ValidationFailed(_("This user is not a reviewer."), errors={"user_id": [_("Not a reviewer.")]})
    organisation_ids = {link["organisation_id"] for link in links}
    known = set(db.session.scalars(select(Organisation.id).where(Organisation.id.in_(organisation_ids))))
    unknown = sorted(organisation_ids - known)
    if unknown:
        raise ValidationFailed(_("Unknown organisation."), errors={
            f"links.{i}.organisation_id": [_("No organisation has this id.")]
            for i, link in enumerate(links) if link["organisation_id"] in unknown})
    existing = get_profile(reviewer.id)
    before = _snapshot(existing) if existing else None
    profile = existing or ReviewerProfile(user_id=reviewer.id, links=[])
    profile.themes, profile.regions, profile.languages = list(themes), list(regions), list(languages)
    by_organisation = {link["organisation_id"]: link["kind"] for link in links}
    profile.links = [ReviewerLink(organisation_id=org, kind=LinkKind(kind)) for org, kind in by_organisation.items()]
    db.session.add(profile)
    db.session.flush()
    record_event(actor, "reviewer_profile.saved", reviewer, before=before, after=_snapshot(profile))
    return profile


def _snapshot(profile: ReviewerProfile) -> dict:
    return {"themes": profile.themes, "regions": profile.regions, "languages": profile.languages,
            "links": [{"organisation_id": link.organisation_id, "kind": link.kind} for link in profile.links]}


def set_panel(actor, call, reviewer_ids: list[int]) -> list[int]:
    """The call's panel is exactly these reviewers (users without the role: 422)."""
    if not actor.has_role("secretariat"):
        raise PermissionDenied(_("Only the secretariat sets a panel."))
    users = db.session.scalars(select(User).where(User.id.in_(reviewer_ids))).all()
    reviewers = {u.id for u in users if u.has_role("reviewer") and u.active}
    bad = [i for i, rid in enumerate(reviewer_ids) if rid not in reviewers]
    if bad:
        raise ValidationFailed(_("Only active users with the reviewer role sit on a panel."),
                               errors={f"reviewer_ids.{i}": [_("Not a reviewer.")] for i in bad})
    current = set(db.session.scalars(select(PanelMember.user_id).where(PanelMember.call_id == call.id)))
    wanted = set(reviewer_ids)
    for user_id in wanted - current:
        db.session.add(PanelMember(call_id=call.id, user_id=user_id))
    for member in db.session.scalars(select(PanelMember).where(PanelMember.call_id == call.id,
                                                                PanelMember.user_id.in_(current - wanted))):
        db.session.delete(member)
    record_event(actor, "panel.set", call, before={"reviewer_ids": sorted(current)},
                 after={"reviewer_ids": sorted(wanted)})
    return sorted(wanted)


def panel_ids(call) -> list[int]:
    return list(db.session.scalars(select(PanelMember.user_id).where(PanelMember.call_id == call.id)
                                   .order_by(PanelMember.user_id)))


def has_declared(user, call) -> bool:
    return db.session.scalar(select(Declaration.id).where(Declaration.call_id == call.id,
                                                          Declaration.user_id == user.id)) is not None


def sign_declaration(actor, call) -> Declaration:
    """Signed once per call, by a reviewer of its panel or with an assignment on it."""
    if not actor.has_role("reviewer"):
        raise PermissionDenied(_("Only reviewers sign the declaration."))
    from .models import Assignment

    involved = actor.id in panel_ids(call) or db.session.scalar(
        select(Assignment.id).where(Assignment.call_id == call.id, Assignment.reviewer_id == actor.id).limit(1))
    if not involved:
        raise NotFound(_("No such call for this reviewer."))
    if has_declared(actor, call):
        raise InvalidTransition(_("You already signed the declaration for this call."))
    declaration = Declaration(call_id=call.id, user_id=actor.id)
    db.session.add(declaration)
    db.session.flush()
    record_event(actor, "declaration.signed", declaration, after={"call_id": call.id})
    return declaration

