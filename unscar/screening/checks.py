"""The automatic checks of DESIGN.md "Screening": each problem a stable code and a message
that tells the applicant what to change. Shown while drafting, enforced at submission,
kept as a snapshot from that moment. Proposals apply them through the hook at the end of
this file (proposals/ is below screening and imports nothing of it)."""
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from flask_babel import gettext as _, lazy_gettext as _l

from ..calls.eligibility import applicant_refusal
from ..languages import call_language_refusal
from ..money import CENT, group_money
from ..proposals.budget import summarise
from ..proposals.models import Proposal
from ..proposals.services import eligibility_rules
from ..regions import country_name, region_of
from ..vocabulary import THEME_LABELS

START_BEFORE_CALL = "start_before_call"


@dataclass(frozen=True)
class Problem:
    code: str
    message: str

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message}


# The messages are lazy: each is read (str) when a Problem is made, in the reader's language.
REQUIRED_TEXT = [
    ("title", "missing_title", _l("Give the proposal a title.")),
    ("summary", "missing_summary", _l("Write a summary of the project.")),
    ("objectives", "missing_objectives", _l("State the project's objectives.")),
    ("risks", "missing_risks", _l("Describe the main risks and how you will manage them.")),
    ("sustainability", "missing_sustainability", _l("Explain how the results will last after the project.")),
]
REQUIRED_LISTS = [
    ("activity_types", "missing_activity_types", _l("Choose at least one activity type.")),
    ("themes", "missing_themes", _l("Choose at least one theme.")),
    ("instruments", "missing_instruments", _l("Choose at least one instrument the project supports.")),
    ("countries", "missing_countries", _l("Name at least one beneficiary country.")),
]
REQUIRED_VALUES = [
    ("start_date", "missing_start_date", _l("Give the project's start date.")),
    ("duration_months", "missing_duration", _l("Give the project's duration in months.")),
    ("gender_marker", "missing_gender_marker", _l("Choose the gender marker (0, 1 or 2).")),
    ("language", "missing_language", _l("Say which language the proposal is written in.")),
]


def _money(value) -> str:
    return f"USD {group_money(value)}"


def _percent(value: Decimal) -> str:
    """7.00 as "7", 7.50 as "7.5", 10.00 as "10": a cap as people write it."""
    return format(Decimal(value).normalize(), "f")


def _has_complete_result(results: list) -> bool:
    return any(
        (outcome.get("outcome") or "").strip() and any(
            (output.get("output") or "").strip() and any(
                (ind.get("indicator") or "").strip() for ind in output.get("indicators") or [])
            for output in outcome.get("outputs") or [])
        for outcome in results or [])


def deadline_problem(proposal: Proposal, now: datetime) -> Problem | None:
    call = proposal.call
    if call.accepts_submissions(now):
        return None
    if call.not_yet_open(now):
        return Problem("call_not_open", _("The call does not accept proposals yet."))
    return Problem("call_closed", _("The call is closed for submissions."))


def _mandatory(proposal: Proposal) -> list[Problem]:
    problems = [Problem(code, str(message)) for attr, code, message in REQUIRED_TEXT
                if not (getattr(proposal, attr) or "").strip()]
    if not _has_complete_result(proposal.results):
        problems.append(Problem("missing_results", _("Add at least one outcome with an output and an indicator "
                                                     "to the results framework.")))
    problems += [Problem(code, str(message)) for attr, code, message in REQUIRED_LISTS
                 if not getattr(proposal, attr)]
    problems += [Problem(code, str(message)) for attr, code, message in REQUIRED_VALUES
                 if getattr(proposal, attr) is None]
    if not proposal.budget_lines:
        problems.append(Problem("missing_budget", _("Add at least one budget line.")))
    return problems


def _against_call(proposal: Proposal) -> list[Problem]:
    call, problems = proposal.call, []
    summary = summarise(proposal.budget_lines)
    if proposal.budget_lines and not call.min_budget_usd <= summary.total_usd <= call.max_budget_usd:
        problems.append(Problem("budget_out_of_range", _(
            "The budget totals %(total)s; this call funds between %(minimum)s and %(maximum)s.",
            total=_money(summary.total_usd), minimum=_money(call.min_budget_usd),
            maximum=_money(call.max_budget_usd))))
    if proposal.duration_months is not None and not (
            call.min_duration_months <= proposal.duration_months <= call.max_duration_months):
        problems.append(Problem("duration_out_of_range", _(
            "The project lasts %(months)d months; this call accepts %(minimum)d to %(maximum)d months.",
            months=proposal.duration_months, minimum=call.min_duration_months,
            maximum=call.max_duration_months)))
    for country in proposal.countries:
        if not _country_eligible(call, country):
            problems.append(Problem("country_ineligible", _(
                "%(country)s is not among the call's eligible countries.", country=country_name(country))))
    for theme in proposal.themes:
        if theme not in call.themes:
            problems.append(Problem("theme_not_in_call", _(
                "The theme \"%(theme)s\" is not a priority of this call; choose among the call's themes.",
                theme=THEME_LABELS.get(theme, theme))))
    cap = call.indirect_cap_pct
    limit = summary.direct_usd * cap / 100
    # The most the applicant may ask, in whole cents below the exact limit.
    allowed = limit.quantize(CENT, rounding=ROUND_DOWN)
    if summary.indirect_usd and summary.indirect_usd > limit:
        problems.append(Problem("indirect_over_cap", _(
            "Indirect support costs of %(indirect)s are %(excess)s over this call's cap of %(cap)s%% of the "
            "direct costs (%(allowed)s on direct costs of %(direct)s); lower them to %(allowed)s or less.",
            indirect=_money(summary.indirect_usd), excess=_money(summary.indirect_usd - allowed),
            cap=_percent(cap), allowed=_money(allowed), direct=_money(summary.direct_usd))))
    if (refusal := call_language_refusal(call, proposal.language)) is not None:
        problems.append(Problem("language_not_in_call", refusal))
    problems += _start_before_call(proposal)
    problems += _budget_years(proposal)
    return problems


def _country_eligible(call, country: str) -> bool:
    if call.eligible_countries and country in call.eligible_countries:
        return True
    if call.eligible_regions and region_of(country) in call.eligible_regions:
        return True
    return not call.eligible_countries and not call.eligible_regions


def _day(value) -> str:
    return f"{value.day} {value:%B %Y}"


def _start_before_call(proposal: Proposal) -> list[Problem]:
    """A project cannot start before the call that funds it opens (the opening day, in UTC)."""
    opens = proposal.call.opens_at.date()
    if proposal.start_date is None or proposal.start_date >= opens:
        return []
    return [Problem(START_BEFORE_CALL, _(
        "The project starts on %(start)s, before the call opens on %(opens)s; "
        "choose a start date on or after the call's opening.", start=_day(proposal.start_date), opens=_day(opens)))]


def _budget_years(proposal: Proposal) -> list[Problem]:
    if proposal.start_date is None or proposal.duration_months is None:
        return []
    first = proposal.start_date.year
    last_month = proposal.start_date.month - 1 + proposal.duration_months - 1
    last = first + last_month // 12
    outside = sorted({line.year for line in proposal.budget_lines if not first <= line.year <= last})
    if not outside:
        return []
    years = ", ".join(map(str, outside))
    return [Problem("budget_year_outside_project", _(
        "Budget lines fall in %(years)s, outside the project's years %(first)s to %(last)s.",
        years=years, first=first, last=last))]


def run_checks(proposal: Proposal, organisation_type: str, now: datetime) -> list[Problem]:
    """Every problem that blocks submission: who may apply first (nothing else matters if
    the organisation may not), then the deadline. Needs the call and the budget lines loaded."""
    problems = []
    if (refusal := applicant_refusal(proposal.call, organisation_type)) is not None:
        problems.append(Problem(**refusal))
    if (deadline := deadline_problem(proposal, now)) is not None:
        problems.append(deadline)
    return problems + _mandatory(proposal) + _against_call(proposal)


TEXT_FIELDS = ("title", "summary", "objectives", "risks", "sustainability")
# Where a blind call's text names the organisation, as the warning says it.
PLACE_LABELS = {
    "title": _l("title"),
    "summary": _l("summary"),
    "objectives": _l("objectives"),
    "risks": _l("risks"),
    "sustainability": _l("sustainability"),
}


def _results_text(results: list) -> str:
    parts = []
    for outcome in results or []:
        parts.append(outcome.get("outcome") or "")
        for output in outcome.get("outputs") or []:
            parts.append(output.get("output") or "")
            parts += [" ".join(str(v or "") for v in ind.values()) for ind in output.get("indicators") or []]
    return " ".join(parts)


def blind_review_warnings(proposal: Proposal) -> list[Problem]:
    """On a blind call, where the text or file names give the organisation away.

    A warning, not a block: the name may be needed (a partner's name, say), and the
    applicant decides."""
    if not proposal.call.blind_review:
        return []
    name = proposal.organisation.name.strip().casefold()
    places = [str(PLACE_LABELS[field]) for field in TEXT_FIELDS if name in (getattr(proposal, field) or "").casefold()]
    if name in _results_text(proposal.results).casefold():
        places.append(_("results framework"))
    places += [_("file name \"%(filename)s\"", filename=a.filename)
               for a in proposal.attachments if name in a.filename.casefold()]
    if not places:
        return []
    return [Problem("organisation_named", _(
        "This call is reviewed blind, but your organisation's name appears in: %(places)s. "
        "Reviewers will see it; remove it unless it must stay.", places=", ".join(places)))]


@eligibility_rules
def verdict(proposal: Proposal, now: datetime) -> dict:
    """{"deadline", "problems", "warnings"}: the deadline's problem (or None) apart, since
    submission answers it before the others."""
    deadline = deadline_problem(proposal, now)
    return {"deadline": deadline.as_dict() if deadline else None,
            "problems": [p.as_dict() for p in run_checks(proposal, proposal.organisation.type.value, now)],
            "warnings": [w.as_dict() for w in blind_review_warnings(proposal)]}
