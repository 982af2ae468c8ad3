"""Demo data for a fresh installation: organisations of every type and region, users of
every role, the fund's history of 39 projects from 2013 to 2016 (imported, history.csv),
its calls for proposals since 2017 with their proposals and the donors' decisions, the
donors' contributions, and this year's proposals and reviews. One entry point,
load_demo(); a module per part (calls, proposals, reviews, funds, grants)."""
from pathlib import Path

from sqlalchemy import func, select

from ..accounts.admin import update_me
from ..accounts.models import User
from ..accounts.services import create_user, register_organisation
from ..dates import utcnow
from ..extensions import db
from ..portfolio.history import import_history, read_rows
from .calls import load_demo_calls
from .funds import DemoFund
from .grants import DemoGrants
from .proposals import DemoProposals
from .reviews import DemoReviews

DEMO_PASSWORD = "demo-password-2026"
HISTORY = Path(__file__).with_name("history.csv")

# (name, type, country): every organisation type, every M49 region.
ORGANISATIONS = [
    ("Small Arms Survey Africa Network", "ngo", "KEN"),
    ("Instituto Sou da Paz", "ngo", "BRA"),
    ("Centre for Armed Violence Reduction", "research_institute", "GHA"),
    ("Pacific Arms Control Institute", "research_institute", "FJI"),
    ("Regional Centre on Small Arms (RECSA)", "regional_organisation", "KEN"),
    ("UN Regional Centre for Peace and Disarmament in Asia and the Pacific", "un_entity", "NPL"),
    ("Ministry of Foreign Affairs of Moldova", "government", "MDA"),
    ("Arms Control Association of Jordan", "ngo", "JOR"),
    ("UN Regional Centre for Peace, Disarmament and Development in Latin America and the Caribbean",
     "un_entity", "PER"),
    ("Flemish Peace Institute", "research_institute", "BEL"),
    ("Pacific Islands Forum Secretariat", "regional_organisation", "FJI"),
]


# Demo users who read another of the UN's languages than English (pages and e-mails in it):
# e-mail → language. The others read English.
LANGUAGES = {
    "applicant10@demo.unscar.org": "fr",  # the Flemish Peace Institute, Brussels
    "applicant9@demo.unscar.org": "es",  # the UN regional centre in Lima
    "applicant8@demo.unscar.org": "ar",  # the Arms Control Association of Jordan
    "applicant7@demo.unscar.org": "ru",  # the Ministry of Foreign Affairs of Moldova
    "reviewer7@demo.unscar.org": "zh",  # Reviewer Four
}

STAFF = [("secretariat", "Secretariat Officer"), ("reviewer", "Reviewer One"), ("reviewer", "Reviewer Two"),
         ("donor", "Donor Representative"), ("admin", "Administrator"), ("reviewer", "Reviewer Three"),
         ("reviewer", "Reviewer Four"), ("reviewer", "Reviewer Five")]


def _applicant_email(number: int) -> str:
    return f"applicant{number}@demo.unscar.org"


def _staff_email(number: int, role: str) -> str:
    return f"{role}{number}@demo.unscar.org"


def demo_logins() -> list[tuple[str, str]]:
    """(who, e-mail) of every demo account, whether or not they are loaded yet."""
    applicants = [(f"applicant ({org_type}, {country})", _applicant_email(number))
                  for number, (_name, org_type, country) in enumerate(ORGANISATIONS, start=1)]
    logins = applicants + [(role, _staff_email(number, role)) for number, (role, _name) in enumerate(STAFF, start=1)]
    return [(f"{who}, reads {LANGUAGES[email]}" if email in LANGUAGES else who, email) for who, email in logins]


def load_demo(only_if_empty: bool = False) -> bool:
    """Create the demo accounts, calls, proposals and reviews; the caller commits.
    False when skipped because the database already has users."""
    if only_if_empty and db.session.scalar(select(func.count()).select_from(User)):
        return False
    applicants = []
    for number, (name, org_type, country) in enumerate(ORGANISATIONS, start=1):
        _org, user = register_organisation(name, org_type, country, f"REG-{country}-{number:04d}",
                                           _applicant_email(number), DEMO_PASSWORD, f"Applicant {number}")
        applicants.append(user)
    users: dict[str, list] = {}
    for number, (role, name) in enumerate(STAFF, start=1):
        users.setdefault(role, []).append(create_user(None, _staff_email(number, role), name, DEMO_PASSWORD, [role]))
    for user in applicants + [user for staff in users.values() for user in staff]:
        if user.email in LANGUAGES:
            update_me(user, {"language": LANGUAGES[user.email]})
    secretariat = users["secretariat"][0]
    proposals, reviews = DemoProposals(applicants, secretariat), DemoReviews(users["reviewer"], secretariat)
    fund = DemoFund(secretariat, applicants)
    this_year = utcnow().year  # read before the calls freeze the clock at their own dates

    def on_transition(call, status):
        fund(call, status)  # first: the year's money arrives before anything is decided
        if call.year == this_year:
            proposals(call, status)
            reviews(call, status)

    load_demo_calls(secretariat, on_transition)
    fund.pledge_next_year()
    DemoGrants(secretariat, applicants)()
    import_history(secretariat, read_rows(HISTORY.read_text(encoding="utf-8")), this_year)
    return True
