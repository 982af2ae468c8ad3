"""Calls: creating and editing a call, moving it through its states, its templates.

Every function checks the actor's role itself, so the pages and the API share the rule;
each change writes one audit event and flushes; the caller commits.
"""
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import select

from .. import files
from ..audit.services import record_event
from ..dates import utcnow
from ..errors import InvalidTransition, PermissionDenied, ValidationFailed
from ..extensions import db
from ..locking import lock_one
from ..money import CENT
from ..richtext import sanitise_html
from ..uploads import accept_upload
from .models import Call, CallStatus, CallTemplate, CallTranslation, Criterion, status_words
from .permissions import can_manage_calls
from .validation import check_call

SCALAR_FIELDS = ("year", "title", "description", "guidelines", "opens_at", "closes_at", "review_closes_at",
                 "envelope_usd", "min_budget_usd", "max_budget_usd", "min_duration_months",
                 "max_duration_months", "indirect_cap_pct", "max_proposals_per_organisation",
                 "blind_review", "reviewers_per_proposal", "scale_max")
LIST_FIELDS = ("eligible_applicant_types", "eligible_countries", "eligible_regions", "themes", "instruments",
               "languages")
FIELDS = SCALAR_FIELDS + LIST_FIELDS + ("criteria", "translations")
DEFAULTS = {"translations": {}, "review_closes_at": None, "indirect_cap_pct": Decimal("7.00"), "eligible_countries": [],
            "eligible_regions": [], "languages": [], "max_proposals_per_organisation": None, "blind_review": False,
            "reviewers_per_proposal": 3, "scale_max": 5}
# From open on, only these change (API.md PATCH /calls/{id}).
EDITABLE_AFTER_DRAFT = ("closes_at", "review_closes_at", "envelope_usd", "description", "guidelines", "translations")
TRANSITIONS = {
    CallStatus.draft: CallStatus.open,
    CallStatus.open: CallStatus.closed,
    CallStatus.closed: CallStatus.in_review,
    CallStatus.in_review: CallStatus.decided,
    CallStatus.decided: CallStatus.archived,
}


def _require_manager(actor) -> None:
    if not can_manage_calls(actor):
        raise PermissionDenied(_("Only the secretariat changes calls."))


def _lock(call: Call) -> Call:
    """The call's row, locked for the rest of the transaction (two clicks change it once)."""
    return lock_one(select(Call).where(Call.id == call.id)) or call


def _as_decimal(value):
    try:
        return value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError):
        return value  # check_call names it


def _normalise(data: dict) -> dict:
    """Plain values in the form the model keeps: trimmed, sanitised, upper-case, de-duplicated."""
    values = {key: value for key, value in data.items() if key in FIELDS}
    if "title" in values:
        values["title"] = (values["title"] or "").strip()
    for name in ("description", "guidelines"):
        if name in values:
            values[name] = sanitise_html(values[name])
    if "eligible_countries" in values:
        values["eligible_countries"] = [str(c).upper() for c in values["eligible_countries"]]
    if "languages" in values:
        values["languages"] = [str(c).lower() for c in values["languages"] or []]
    for name in LIST_FIELDS:
        if name in values:
            values[name] = list(dict.fromkeys(values[name]))
    if values.get("indirect_cap_pct") is not None:
        values["indirect_cap_pct"] = _as_decimal(values["indirect_cap_pct"])
    if "translations" in values:
        # {language: {title, description, guidelines}}; a language given no title is dropped.
        values["translations"] = {
            str(code).lower(): {"title": (text.get("title") or "").strip(),
                                "description": sanitise_html(text.get("description") or ""),
                                "guidelines": sanitise_html(text.get("guidelines") or "")}
            for code, text in (values["translations"] or {}).items()
            if isinstance(text, dict) and (text.get("title") or "").strip()}
    if "criteria" in values:
        values["criteria"] = [{"name": (c.get("name") or "").strip(), "guidance": (c.get("guidance") or "").strip(),
                               "weight": _as_decimal(c.get("weight"))} for c in values["criteria"]]
    return values


def _current(call: Call) -> dict:
    values = {name: getattr(call, name) for name in SCALAR_FIELDS}
    values.update({name: list(getattr(call, name)) for name in LIST_FIELDS})
    values["criteria"] = [{"name": c.name, "guidance": c.guidance, "weight": c.weight} for c in call.criteria]
    values["translations"] = {t.language: {"title": t.title, "description": t.description, "guidelines": t.guidelines}
                              for t in call.translations}
    return values


def _validated(values: dict) -> None:
    errors = check_call(values, values["criteria"])
    if errors:
        raise ValidationFailed(_("Some values of the call are invalid."), errors=errors)
    # Two decimals, as stored, so before/after comparisons and audit events match the row.
    values["indirect_cap_pct"] = values["indirect_cap_pct"].quantize(CENT)
    for criterion in values["criteria"]:
        criterion["weight"] = criterion["weight"].quantize(CENT)


def _apply(call: Call, values: dict) -> None:
    for name in SCALAR_FIELDS + LIST_FIELDS:
        setattr(call, name, values[name])
    # Rows are updated in place by position, so (call_id, position) stays unique at flush.
    wanted = values["criteria"]
    for position, data in enumerate(wanted):
        if position < len(call.criteria):
            criterion = call.criteria[position]
            criterion.name, criterion.guidance, criterion.weight = data["name"], data["guidance"], data["weight"]
        else:
            call.criteria.append(Criterion(position=position, **data))
    del call.criteria[len(wanted):]
    existing = {t.language: t for t in call.translations}
    for language, text in values["translations"].items():
        if language in existing:
            existing[language].title = text["title"]
            existing[language].description = text["description"]
            existing[language].guidelines = text["guidelines"]
        else:
            call.translations.append(CallTranslation(language=language, **text))
    for language, translation in existing.items():
        if language not in values["translations"]:
            call.translations.remove(translation)


def create_call(actor, data: dict) -> Call:
    """A new draft call from the values of API.md's POST /calls; 422 names each bad field."""
    _require_manager(actor)
    values = {**DEFAULTS, **_normalise(data)}
    missing = [name for name in FIELDS if name not in values]
    if missing:
        raise ValidationFailed(_("Some fields are missing."),
                               errors={name: [_("Missing data for required field.")] for name in missing})
    _validated(values)
    call = Call(status=CallStatus.draft, criteria=[], translations=[])
    _apply(call, values)
    db.session.add(call)
    db.session.flush()
    record_event(actor, "call.created", call, after=_current(call))
    return call


def _check_editable(call: Call, values: dict) -> None:
    if call.status == CallStatus.archived:
        raise InvalidTransition(_("An archived call cannot be changed."))
    if call.status == CallStatus.draft:
        return
    refused = sorted(set(values) - set(EDITABLE_AFTER_DRAFT))
    if refused:
        raise InvalidTransition(_(
            "The call is %(status)s: only its closing time (an extension), review closing time, "
            "envelope, description and guidelines can change, not %(fields)s.",
            status=status_words(call.status), fields=", ".join(refused)))
    new_close = values.get("closes_at")
    if new_close is None or new_close == call.closes_at:
        values.pop("closes_at", None)
        return
    if call.status != CallStatus.open:
        raise InvalidTransition(_("The call is %(status)s: its deadline can no longer be extended.",
                                  status=status_words(call.status)))
    if new_close <= utcnow():
        raise ValidationFailed(_("The new closing time has already passed."),
                               errors={"closes_at": [_("Choose a closing time in the future.")]})
    if new_close < call.closes_at:
        raise ValidationFailed(_("An open call's deadline can only be extended, not brought forward."),
                               errors={"closes_at": [_("Choose a time after the current closing time.")]})


def update_call(actor, call: Call, changes: dict) -> Call:
    """Edit a call: any field while draft; from open on only EDITABLE_AFTER_DRAFT (else 409).

    An extension of closes_at must lie in the future and after the current deadline (422).
    Writes one audit event with the changed fields before and after; nothing when unchanged.
    """
    _require_manager(actor)
    call = _lock(call)
    values = _normalise(changes)
    _check_editable(call, values)
    before = _current(call)
    merged = {**before, **values}
    _validated(merged)
    _apply(call, merged)
    after = _current(call)
    changed = [name for name in FIELDS if before[name] != after[name]]
    if not changed:
        return call
    action = "call.deadline_extended" if "closes_at" in changed and call.status != CallStatus.draft \
        else "call.updated"
    db.session.flush()
    record_event(actor, action, call, before={n: before[n] for n in changed}, after={n: after[n] for n in changed})
    return call


# --- states -------------------------------------------------------------------------

# Conditions that need the data of parts above calls (proposals still to be screened or
# decided) are registered by those parts: calls knows proposals by neither import nor name.
_GUARDS: dict[CallStatus, list] = {}


def guard_transition(status: CallStatus):
    """Decorator: run `check(call)` before a call moves to `status`; it returns why the call
    may not move (a sentence), or None."""
    def register(check):
        _GUARDS.setdefault(status, []).append(check)
        return check
    return register


def transition_refusal(call: Call, status, now=None) -> str | None:
    """Why the call cannot move to `status` now (DESIGN.md "Transitions"); None if it can."""
    status = CallStatus(status)
    now = now or utcnow()
    if TRANSITIONS.get(call.status) != status:
        following = TRANSITIONS.get(call.status)
        # In the reader's words: API clients know the codes from the call and their request.
        if following is None:
            return _("The call is %(status)s: it cannot move any further, not to %(wanted)s.",
                     status=status_words(call.status), wanted=status_words(status))
        return _("The call is %(status)s: it can only move to %(following)s, not to %(wanted)s.",
                 status=status_words(call.status), following=status_words(following),
                 wanted=status_words(status))
    if status == CallStatus.open:
        if not call.criteria:
            return _("The call has no scoring criteria: add at least one before opening it.")
        if call.closes_at <= now:
            return _("The closing time has passed: set a later closing time before opening the call.")
    return next(filter(None, (check(call) for check in _GUARDS.get(status, ()))), None)


def next_status(call: Call) -> CallStatus | None:
    return TRANSITIONS.get(call.status)


def change_status(actor, call: Call, status) -> Call:
    """Move the call to `status` if DESIGN.md's table allows it now; InvalidTransition says why not."""
    _require_manager(actor)
    status = CallStatus(status)
    call = _lock(call)
    reason = transition_refusal(call, status)
    if reason:
        raise InvalidTransition(reason)
    before = call.status
    call.status = status
    db.session.flush()
    record_event(actor, "call.status_changed", call, before={"status": before}, after={"status": status})
    return call


# --- templates ------------------------------------------------------------------------

def add_template(actor, call: Call, filename: str, data: bytes) -> CallTemplate:
    """Attach a downloadable PDF, DOCX or XLSX template, judged by its bytes (else 422)."""
    _require_manager(actor)
    if call.status == CallStatus.archived:
        raise InvalidTransition(_("An archived call cannot be changed."))
    template = CallTemplate(**accept_upload(filename, data, allowed=files.DOCUMENT_TYPES, kind="template"))
    call.templates.append(template)
    db.session.flush()
    record_event(actor, "call.template_added", template, after={
        "call_id": call.id, "filename": template.filename, "media_type": template.media_type,
        "size": template.size, "sha256": template.sha256})
    return template


def delete_template(actor, template: CallTemplate) -> None:
    """Remove a template; its bytes go too (a rolled-back request leaves a dangling row, never a leak)."""
    _require_manager(actor)
    if template.call.status == CallStatus.archived:
        raise InvalidTransition(_("An archived call cannot be changed."))
    record_event(actor, "call.template_deleted", template, before={
        "call_id": template.call_id, "filename": template.filename, "sha256": template.sha256})
    db.session.delete(template)
    db.session.flush()
    files.delete_stored(template.storage_key)
