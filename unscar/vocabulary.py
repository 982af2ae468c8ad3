"""The fixed vocabularies of API.md, with the labels people read (each read in the
reader's language: Labels)."""
import enum

from collections.abc import Mapping

from flask_babel import gettext, pgettext


def N_(message: str) -> str:
    """Marks a message for extraction (make messages); Labels translates it when read."""
    return message


def NC_(context: str, message: str) -> tuple[str, str]:
    """A message with its context, for a word English uses for several things that other
    languages tell apart ("due": a tranche payable, a report expected)."""
    return context, message


class Labels(Mapping):
    """A vocabulary's labels, each read in the current request's language. Plain strings
    come out (joined, sorted, written to CSV or XLSX like any other); a choices list built
    once at import time would stay English, so forms build theirs when they are made."""

    def __init__(self, labels: dict[str, str]):
        self._labels = labels

    def __getitem__(self, key):
        label = self._labels[key]
        return pgettext(*label) if isinstance(label, tuple) else gettext(label)

    def __iter__(self):
        return iter(self._labels)

    def __len__(self):
        return len(self._labels)


class Role(str, enum.Enum):
    applicant = "applicant"
    reviewer = "reviewer"
    secretariat = "secretariat"
    donor = "donor"
    admin = "admin"


class OrganisationType(str, enum.Enum):
    ngo = "ngo"
    research_institute = "research_institute"
    regional_organisation = "regional_organisation"
    un_entity = "un_entity"
    government = "government"


ORGANISATION_TYPE_LABELS = Labels({
    "ngo": N_("Non-governmental organisation"),
    "research_institute": N_("Research institute or university"),
    "regional_organisation": N_("International or regional organisation"),
    "un_entity": N_("United Nations entity"),
    "government": N_("Government"),
})

ROLE_LABELS = Labels({
    "applicant": N_("Applicant"),
    "reviewer": N_("Reviewer"),
    "secretariat": N_("Secretariat"),
    "donor": N_("Donor"),
    "admin": N_("Administrator"),
})

# The fund's priority themes, activity types, instruments served and the UN harmonised
# budget categories (DESIGN.md, from the seed report's paragraphs 24 to 26).
THEME_LABELS = Labels({
    "legislation": N_("Legislation"),
    "end_use_control": N_("End-use and end-user control"),
    "points_of_contact": N_("National points of contact"),
    "reporting": N_("Reporting"),
    "weapons_destruction": N_("Weapons destruction"),
    "stockpile_management": N_("Stockpile management"),
    "border_control": N_("Border control"),
    "gender_and_children": N_("Gender and children"),
    "public_awareness": N_("Public awareness"),
    "south_south_cooperation": N_("South-south cooperation"),
})

ACTIVITY_TYPE_LABELS = Labels({
    "capacity_building": N_("Capacity building"),
    "multilateral_processes": N_("Support to multilateral and national processes"),
    "implementation_tools": N_("Implementation tools and guides"),
    "research": N_("Action-oriented research"),
    "information_platforms": N_("Information platforms"),
    "databases": N_("Databases"),
    "online_learning": N_("Online learning"),
})

INSTRUMENT_LABELS = Labels({
    "poa": N_("Programme of Action on small arms (PoA)"),
    "iti": N_("International Tracing Instrument (ITI)"),
    "att": N_("Arms Trade Treaty (ATT)"),
    "firearms_protocol": N_("UN Firearms Protocol"),
    "sdg_16_4": N_("SDG target 16.4 (illicit financial and arms flows)"),
    "sdg_16_1": N_("SDG target 16.1 (reduce all forms of violence)"),
})

BUDGET_CATEGORY_LABELS = Labels({
    "staff": N_("1. Staff and other personnel"),
    "supplies": N_("2. Supplies, commodities, materials"),
    "equipment": N_("3. Equipment, vehicles and furniture (incl. depreciation)"),
    "contractual": N_("4. Contractual services"),
    "travel": N_("5. Travel"),
    "transfers": N_("6. Transfers and grants to counterparts"),
    "general_operating": N_("7. General operating and other direct costs"),
    "indirect": N_("Indirect support costs"),
})

# Plural forms for sentences such as "Open to NGOs and research institutes".
ORGANISATION_TYPE_PLURALS = Labels({
    "ngo": N_("NGOs"),
    "research_institute": N_("research institutes (universities included)"),
    "regional_organisation": N_("international and regional organisations"),
    "un_entity": N_("UN entities"),
    "government": N_("governments"),
})
