"""The fixed vocabularies of API.md, with the labels people read."""
import enum


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


ORGANISATION_TYPE_LABELS = {
    "ngo": "Non-governmental organisation",
    "research_institute": "Research institute or university",
    "regional_organisation": "International or regional organisation",
    "un_entity": "United Nations entity",
    "government": "Government",
}

ROLE_LABELS = {
    "applicant": "Applicant",
    "reviewer": "Reviewer",
    "secretariat": "Secretariat",
    "donor": "Donor",
    "admin": "Administrator",
}

# The fund's priority themes, activity types, instruments served and the UN harmonised
# budget categories (DESIGN.md, from the seed report's paragraphs 24 to 26).
THEME_LABELS = {
    "legislation": "Legislation",
    "end_use_control": "End-use and end-user control",
    "points_of_contact": "National points of contact",
    "reporting": "Reporting",
    "weapons_destruction": "Weapons destruction",
    "stockpile_management": "Stockpile management",
    "border_control": "Border control",
    "gender_and_children": "Gender and children",
    "public_awareness": "Public awareness",
    "south_south_cooperation": "South-south cooperation",
}

ACTIVITY_TYPE_LABELS = {
    "capacity_building": "Capacity building",
    "multilateral_processes": "Support to multilateral and national processes",
    "implementation_tools": "Implementation tools and guides",
    "research": "Action-oriented research",
    "information_platforms": "Information platforms",
    "databases": "Databases",
    "online_learning": "Online learning",
}

INSTRUMENT_LABELS = {
    "poa": "Programme of Action on small arms (PoA)",
    "iti": "International Tracing Instrument (ITI)",
    "att": "Arms Trade Treaty (ATT)",
    "firearms_protocol": "UN Firearms Protocol",
    "sdg_16_4": "SDG target 16.4 (illicit financial and arms flows)",
    "sdg_16_1": "SDG target 16.1 (reduce all forms of violence)",
}

BUDGET_CATEGORY_LABELS = {
    "staff": "1. Staff and other personnel",
    "supplies": "2. Supplies, commodities, materials",
    "equipment": "3. Equipment, vehicles and furniture (incl. depreciation)",
    "contractual": "4. Contractual services",
    "travel": "5. Travel",
    "transfers": "6. Transfers and grants to counterparts",
    "general_operating": "7. General operating and other direct costs",
    "indirect": "Indirect support costs",
}

# Plural forms for sentences such as "Open to NGOs and research institutes".
ORGANISATION_TYPE_PLURALS = {
    "ngo": "NGOs",
    "research_institute": "research institutes (universities included)",
    "regional_organisation": "international and regional organisations",
    "un_entity": "UN entities",
    "government": "governments",
}
