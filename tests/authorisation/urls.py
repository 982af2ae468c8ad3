"""URL parameters from the world: own (side A), other (side B), side A's draft, the
open call, or missing ids."""
import re

from tests.authorisation.world import MISSING

# Routes whose user_id is a reviewer's (their profile), not an organisation member's.
REVIEWER_USER = {"reviews.reviewer_profile", "api.save_profile"}


def values(world, endpoint: str, variant: str) -> dict:
    if variant == "missing":
        return {"reference": "UNSCAR-1900-9999", "token": "forged-or-expired", "section": "summary",
                "breakdown": "theme", "filename": "css/missing.css", "_int": MISSING}
    side = world.other if variant == "other" else world.own
    token = world.reset_token if endpoint == "accounts.reset_password" else world.invitation_token
    drafted = world.draft if variant == "draft" else {}
    if variant == "open_call":
        drafted = {"call_id": world.draft["call_id"]}
    return {
        "call_id": world.call_id, "template_id": world.template_id, "rec_id": world.recommendation_id,
        "donor_id": world.donor_id, "contribution_id": world.contribution_id,
        "proposal_id": side.proposal_id, "attachment_id": side.attachment_id,
        "assignment_id": side.assignment_id, "clarification_id": side.clarification_id,
        "grant_id": side.grant_id, "report_id": side.report_id, "file_id": side.report_file_id,
        "revision_id": side.revision_id, "document_id": side.document_id,
        "organisation_id": side.organisation_id,
        "user_id": side.reviewer_id if endpoint in REVIEWER_USER else side.colleague_id,
        "reference": side.reference, "token": token, "section": "summary", "breakdown": "theme",
        "filename": "css/app.css",
    } | drafted


def fill(rule, world, variant: str) -> str:
    given = values(world, rule.endpoint, variant)
    return re.sub(r"<(?:[^:<>]+:)?([^<>:]+)>", lambda match: str(given.get(match.group(1), given.get("_int"))),
                  rule.rule)


def variants(rule, access) -> list[str]:
    """own and other always; missing when the route names an object by id or reference;
    draft when it names a proposal or one of its files (not through an assignment);
    open_call (the draft's call) when some role sees the call's route only from review."""
    names = rule.arguments
    found = ["own", "other"]
    if "proposal_id" in names or ("attachment_id" in names and "assignment_id" not in names):
        found.append("draft")
    if access.from_review and names == {"call_id"}:
        found.append("open_call")
    if any(name.endswith("_id") or name == "reference" for name in names):
        found.append("missing")
    return found
