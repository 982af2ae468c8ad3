"""The official schemas the exports are checked against, read where DESIGN.md puts them:
../shared/standards beside the repository (CI's clean clone has shared/ beside it too).
Nothing from there is copied into the application."""
import json
from functools import cache
from pathlib import Path

from lxml import etree

STANDARDS = Path(__file__).resolve().parents[3] / "shared" / "standards"
IATI = STANDARDS / "iati"
GIVING = STANDARDS / "360giving" / "schema"


@cache
def iati_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(IATI / "schema" / "iati-activities-schema.xsd")))


@cache
def codes(codelist: str) -> frozenset[str]:
    """The active codes of an IATI codelist."""
    tree = etree.parse(str(IATI / "codelists" / f"{codelist}.xml"))
    return frozenset(item.findtext("code") for item in tree.iter("codelist-item")
                     if item.get("status", "active") != "withdrawn")


def iati_problems(document: etree._ElementTree) -> list[str]:
    """What the XSD refuses, then every coded value not in its codelist."""
    schema = iati_schema()
    if not schema.validate(document):
        return [f"{error.line}: {error.message}" for error in schema.error_log]
    checks = [("//iati-activity/reporting-org/@type", "OrganisationType"),
              ("//participating-org/@type", "OrganisationType"), ("//participating-org/@role", "OrganisationRole"),
              ("//activity-status/@code", "ActivityStatus"), ("//activity-date/@type", "ActivityDateType"),
              ("//recipient-country/@code", "Country"), ("//sector/@code", "Sector"),
              ("//sector/@vocabulary", "SectorVocabulary"), ("//policy-marker/@code", "PolicyMarker"),
              ("//policy-marker/@significance", "PolicySignificance"),
              ("//policy-marker/@vocabulary", "PolicyMarkerVocabulary"),
              ("//default-finance-type/@code", "FinanceType"), ("//budget/@type", "BudgetType"),
              ("//budget/@status", "BudgetStatus"), ("//transaction-type/@code", "TransactionType"),
              ("//@currency", "Currency"), ("//@default-currency", "Currency"), ("/iati-activities/@version", "Version"),
              ("//description/@type", "DescriptionType")]
    return [f"{path} = {value} is not in {codelist}" for path, codelist in checks
            for value in document.xpath(path) if value not in codes(codelist)]


@cache
def giving_validator():
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    grant = json.loads((GIVING / "360-giving-schema.json").read_text(encoding="utf-8"))
    package = json.loads((GIVING / "360-giving-package-schema.json").read_text(encoding="utf-8"))
    resource = DRAFT202012.create_resource(grant)
    # The package names the grant schema by its 1.4.2 address, the grant schema says 1.4.3.
    registry = Registry().with_resources([(grant["$id"], resource),
                                          (package["properties"]["grants"]["items"]["$ref"], resource)])
    return Draft202012Validator(package, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


def giving_problems(document: dict) -> list[str]:
    return [f"{list(error.absolute_path)}: {error.message}" for error in giving_validator().iter_errors(document)]
