"""Plain-language sentences about a call, for the pages applicants read."""
from ..regions import country_name
from ..vocabulary import ORGANISATION_TYPE_PLURALS
from .models import Call


def join_words(words: list[str], conjunction: str = "and") -> str:
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def where_text(call: Call) -> str:
    """Which beneficiary countries a project may serve: "any country in Africa or Asia"."""
    countries = join_words(sorted(country_name(c) for c in call.eligible_countries))
    if call.eligible_regions:
        regions = f"any country in {join_words(call.eligible_regions, 'or')}"
        return f"{regions}, as well as {countries}" if countries else regions
    return countries or "any country"


def eligibility_text(call: Call) -> str:
    """"Open to NGOs and UN entities, for projects benefiting any country in Africa or Asia.\""""
    who = join_words([ORGANISATION_TYPE_PLURALS[t] for t in call.eligible_applicant_types])
    text = f"Open to {who}, for projects benefiting {where_text(call)}."
    if "government" not in call.eligible_applicant_types:
        text += " Governments do not apply themselves; they benefit through an eligible organisation."
    return text
