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
