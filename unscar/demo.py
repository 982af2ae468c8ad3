"""Demo data for a fresh installation: organisations of every type and region, users of
every role, and the fund's calls for proposals since 2013. Later capabilities extend it
with proposals, reviews and grants."""
from dataclasses import dataclass, field

from sqlalchemy import func, select

from .accounts.models import User
from .accounts.services import create_user, register_organisation
from .calls.demo import load_demo_calls
from .extensions import db

DEMO_PASSWORD = "demo-password-2026"

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


@dataclass
class DemoLogins:
    password: str = DEMO_PASSWORD
    accounts: list[tuple[str, str]] = field(default_factory=list)


def load_demo(only_if_empty: bool = False) -> DemoLogins | None:
    """Create the demo accounts and calls; the caller commits. None when skipped."""
    if only_if_empty and db.session.scalar(select(func.count()).select_from(User)):
        return None
    logins = DemoLogins()
    for number, (name, org_type, country) in enumerate(ORGANISATIONS, start=1):
        email = f"applicant{number}@demo.unscar.org"
        register_organisation(name, org_type, country, f"REG-{country}-{number:04d}", email,
                              DEMO_PASSWORD, f"Applicant {number}")
        logins.accounts.append((f"applicant ({org_type}, {country})", email))
    staff = [("secretariat", "Secretariat Officer"), ("reviewer", "Reviewer One"),
             ("reviewer", "Reviewer Two"), ("donor", "Donor Representative"), ("admin", "Administrator")]
    users = {}
    for number, (role, name) in enumerate(staff, start=1):
        email = f"{role}{number}@demo.unscar.org"
        users.setdefault(role, create_user(None, email, name, DEMO_PASSWORD, [role]))
        logins.accounts.append((role, email))
    load_demo_calls(users["secretariat"])
    return logins
