"""Plain-language sentences about a call, for the pages applicants read (in the reader's language)."""
from babel.lists import format_list
from flask_babel import gettext as _

from ..i18n import current_language
from ..regions import country_name, region_name
from ..vocabulary import ORGANISATION_TYPE_PLURALS
from .models import Call


def join_words(words: list[str], conjunction: str = "and") -> str:
    """"A, B and C" ("A, B or C" with conjunction="or"), by each language's own list pattern
    (CLDR: "A、B和C", "A, B et C"). English keeps the UN's house style, without the serial comma."""
    words = [str(word) for word in words]
    style = "or" if conjunction == "or" else "standard"
    language = current_language()
    if language == "en" and len(words) > 2:
        words = [", ".join(words[:-1]), words[-1]]
    return format_list(words, style=style, locale=language)


def where_text(call: Call) -> str:
    """Which beneficiary countries a project may serve: "any country in Africa or Asia"."""
    countries = join_words(sorted(country_name(c) for c in call.eligible_countries))
    if call.eligible_regions:
        regions = join_words([region_name(r) for r in call.eligible_regions], "or")
        if countries:
            return _("any country in %(regions)s, as well as %(countries)s", regions=regions, countries=countries)
        return _("any country in %(regions)s", regions=regions)
    return countries or _("any country")


def eligibility_text(call: Call) -> str:
    """"Open to NGOs and UN entities, for projects benefiting any country in Africa or Asia.\""""
    who = join_words([ORGANISATION_TYPE_PLURALS[t] for t in call.eligible_applicant_types])
    text = _("Open to %(who)s, for projects benefiting %(where)s.", who=who, where=where_text(call))
    if "government" not in call.eligible_applicant_types:
        text += " " + _("Governments do not apply themselves; they benefit through an eligible organisation.")
    return text
