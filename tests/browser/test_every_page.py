"""Every page of every role, in the demo world, at desktop and phone width: axe-core's WCAG
2.2 A/AA rules, no horizontal overflow at 375 px, no request leaving the server, a page
weight budget and a unique, descriptive <title>.

The pages are derived from the URL map: every GET rule outside the API, for each role that
authorisation matrix lets see it (tests/authorisation/matrix.py), its URL parameters filled
with one object per state from the demo world (the signed-in user's own objects where the
role sees only its own). A rule a role may see but that no filled URL shows it as an HTML
page fails the test unless SKIPPED (below, with the reason), so a new page is covered, or
noticed, without editing this file.
"""
import itertools
import os
import re
import threading
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.serving import make_server

from tests.authorisation.matrix import MATRIX
from tests.browser.accessibility import DESKTOP, PHONE, axe_violations, overflows_horizontally
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.demo_world import build_demo_database, copy_for_test
from tests.conftest import make_config
from unscar import create_app
from unscar.accounts.models import Organisation, User
from unscar.accounts.services import make_password_token
from unscar.calls.models import Call
from unscar.demo import DEMO_PASSWORD
from unscar.extensions import db
from unscar.funds.models import Donor
from unscar.grants.models import Grant, Report, Revision
from unscar.portfolio.models import PastProject
from unscar.proposals.editor import SECTIONS
from unscar.proposals.models import Proposal
from unscar.reviews.models import Assignment
from unscar.screening.models import Clarification

# Bytes of a page and everything it loads (HTML, CSS, JavaScript, images), uncompressed,
# with the browser's cache off. Bootstrap's CSS and JavaScript are about 310 kB of it; a
# poor connection should not pay much more than that for any page.
PAGE_WEIGHT_BUDGET = 600_000

# GET rules that answer a file, not a page: nothing for axe to read.
NOT_HTML = {
    "static": "CSS, JavaScript and images",
    "accounts.document": "an organisation's registration document (a download)",
    "calls.download_template": "a call's template (a download)",
    "proposals.attachment": "a proposal's attachment (a download)",
    "reviews.attachment": "a proposal's attachment through an assignment (a download)",
    "grants.report_file": "a report's attachment (a download)",
    "screening.intake_csv": "the intake list as CSV",
    "decisions.ranking_chart": "PNG chart, shown in the ranking page (which is checked)",
    "funds.donors_chart": "PNG chart, shown in the fund's pages (checked)",
    "funds.flows_chart": "PNG chart, shown in the fund's pages (checked)",
    "grants.budget_chart": "PNG chart, shown in the grant page (checked)",
    "portfolio.breakdown_chart": "PNG chart, shown in the portfolio page (checked)",
    "portfolio.years_chart": "PNG chart, shown in the portfolio page (checked)",
}

# (endpoint, role) pairs that the matrix allows but that are no page for that role.
SIGNED_IN = ("applicant", "reviewer", "secretariat", "donor", "admin")
SKIPPED = {
    # Signed-in users are sent home from the page for signing in.
    **{("accounts.login", role): "redirects a signed-in user home" for role in SIGNED_IN},
}

# Endpoints that show one page under two URLs, so share its title.
SAME_PAGE = [
    # A reviewer's own profile: /reviews/profile, and /reviews/reviewers/<own id>/profile (the
    # secretariat's URL for it, which a reviewer may use for itself only).
    {"reviews.profile", "reviews.reviewer_profile"},
]

ALL_ROLES = ("anonymous", "applicant", "reviewer", "secretariat", "donor", "admin")
# The issue asks for every page once per CI run: .ci/run checks every role on SQLite and
# only the anonymous pages on PostgreSQL (EVERY_PAGE_ROLES=anonymous), for minutes' sake.
ROLES = tuple(role for role in os.environ.get("EVERY_PAGE_ROLES", ",".join(ALL_ROLES)).split(",")
              if role in ALL_ROLES)
STAFF_EMAILS = {"secretariat": ["secretariat1@demo.unscar.org"], "reviewer": ["reviewer2@demo.unscar.org"],
                "donor": ["donor4@demo.unscar.org"], "admin": ["admin5@demo.unscar.org"], "anonymous": [None]}


@pytest.fixture(scope="session")
def demo_database(database_template, tmp_path_factory):
    return build_demo_database(tmp_path_factory.mktemp("demo"), database_template)


@pytest.fixture
def demo_server(demo_database, tmp_path):
    app = create_app(make_config(copy_for_test(demo_database, tmp_path), tmp_path))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    server.daemon_threads = False
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    server.server_close()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def may_see(endpoint: str, role: str) -> bool:
    access = MATRIX[f"{endpoint} GET"]
    if role == "anonymous":
        return access.anonymous
    return role in access.allowed + access.own + access.from_review


def page_rules(app):
    return sorted((rule for rule in app.url_map.iter_rules()
                   if "GET" in rule.methods and not rule.endpoint.startswith("api.")
                   and rule.endpoint not in NOT_HTML), key=lambda rule: rule.rule)


class PerState(list):
    """Ids, one object per state; `state[id]` is that object's state."""
    state: dict


def _per_state(model, state, *where) -> PerState:
    """The first id of each state (a column or a tuple of columns) of `model`."""
    columns = state if isinstance(state, tuple) else (state,)
    rows = db.session.execute(select(func.min(model.id), *columns).where(*where).group_by(*columns)).all()
    ids = PerState(sorted(row[0] for row in rows))
    ids.state = {row[0]: tuple(row[1:]) for row in rows}
    return ids


def _any_of(value, state: str) -> PerState:
    """One value standing for all of its kind (a token: any valid one shows the same page)."""
    values = PerState([value])
    values.state = {value: (state,)}
    return values


def _organisation_keys(organisation_id: int) -> set:
    """The states of the objects an applicant of this organisation sees."""
    keys = {("proposal", s) for s in db.session.scalars(
        select(Proposal.status).where(Proposal.organisation_id == organisation_id))}
    keys |= {("grant", s) for s in db.session.scalars(select(Grant.status).where(Grant.organisation_id == organisation_id))}
    keys |= {("report", k, s) for k, s in db.session.execute(
        select(Report.kind, Report.status).join(Grant).where(Grant.organisation_id == organisation_id))}
    keys |= {("revision", s) for s in db.session.scalars(
        select(Revision.status).join(Grant).where(Grant.organisation_id == organisation_id))}
    keys |= {("clarification", a is None) for a in db.session.scalars(
        select(Clarification.answer).join(Proposal).where(Proposal.organisation_id == organisation_id))}
    return keys


def applicant_emails() -> list[str]:
    """Few applicants whose organisations, together, hold every state (a greedy cover)."""
    organisations = db.session.scalars(select(Organisation.id).order_by(Organisation.id)).all()
    keys = {org: _organisation_keys(org) for org in organisations}
    missing, chosen = set().union(*keys.values()), []
    while missing:
        best = max(organisations, key=lambda org: len(keys[org] & missing))
        chosen.append(best)
        missing -= keys[best]
    return [db.session.scalar(select(User.email).where(User.organisation_id == org).order_by(User.id).limit(1))
            for org in chosen]


def parameters(user: User | None) -> dict[str, list]:
    """Values for each URL parameter: one object per state, the user's own where it has a side."""
    org = user.organisation_id if user is not None else None
    mine = (lambda column: column == org) if org else (lambda column: True)
    reviewer = user is not None and user.has_role("reviewer")
    reviewers = select(User.id).where(User.email.like("reviewer%")).order_by(User.id)
    anyone = db.session.scalar(select(User).where(User.email == "applicant1@demo.unscar.org"))
    return {
        "call_id": _per_state(Call, Call.status),
        "proposal_id": _per_state(Proposal, Proposal.status, mine(Proposal.organisation_id)),
        "section": [name for name, _label in SECTIONS],
        "assignment_id": _per_state(Assignment, Assignment.status,
                                    Assignment.reviewer_id == user.id if reviewer else True),
        "clarification_id": _per_state(Clarification, Clarification.answer.is_(None),
                                       Clarification.proposal_id.in_(select(Proposal.id).where(
                                           mine(Proposal.organisation_id)))),
        "grant_id": _per_state(Grant, Grant.status, mine(Grant.organisation_id)),
        "report_id": _per_state(Report, (Report.kind, Report.status), Report.grant_id.in_(
            select(Grant.id).where(mine(Grant.organisation_id)))),
        "revision_id": _per_state(Revision, Revision.status, Revision.grant_id.in_(
            select(Grant.id).where(mine(Grant.organisation_id)))),
        "donor_id": [db.session.scalar(select(func.min(Donor.id)))],
        "user_id": [user.id] if reviewer else [db.session.scalar(reviewers.limit(1))],
        "organisation_id": _per_state(Organisation, Organisation.type),
        "reference": [db.session.scalar(select(func.min(PastProject.reference))),
                      db.session.scalar(select(func.min(Proposal.reference)).join(Grant))],
        # A fresh token per user; any token shows the same page.
        "token": {"accounts.reset_password": _any_of(make_password_token(anyone), "token"),
                  "accounts.accept_invitation": _any_of(make_password_token(anyone, "invite"), "token")},
    }


def urls(rule, given: dict) -> list[tuple[str, tuple]]:
    """(URL, what it shows): the rule and the state of each object it names, so that a second
    applicant's object in a state already seen is not checked again."""
    names = sorted(rule.arguments - set(rule.defaults or {}))
    choices = [given["token"][rule.endpoint] if name == "token" else given[name] for name in names]
    return [(rule.build(dict(zip(names, values)))[1],
             (rule.endpoint, *(getattr(choice, "state", {}).get(value, value) for choice, value in zip(choices, values))))
            for values in itertools.product(*choices)]


def sign_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


class Visit:
    """One signed-in (or anonymous) browser context, its page reused for every URL, with the
    cache off so that each page's weight counts everything it loads."""

    def __init__(self, browser, base_url: str, email: str | None):
        self.base_url = base_url
        self.context = browser.new_context(base_url=base_url, bypass_csp=True)  # bypass: to inject axe
        self.page = self.context.new_page()
        self.page.set_default_timeout(TIMEOUT_MS)
        cdp = self.context.new_cdp_session(self.page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        if email:
            sign_in(self.page, email)

    def is_page(self, url: str) -> bool:
        response = self.context.request.get(url, max_redirects=0)
        return response.status == 200 and response.headers.get("content-type", "").startswith("text/html")

    def check(self, url: str) -> tuple[str, list[str]]:
        """The page's title and its problems."""
        page, problems = self.page, []
        page.set_viewport_size(DESKTOP)
        self.requests.clear()
        page.goto(url)
        page.wait_for_load_state("load")
        title = page.title()
        problems += [f"desktop: {line}" for line in axe_violations(page)]
        weight = page.evaluate("""() => performance.getEntriesByType('navigation')
            .concat(performance.getEntriesByType('resource'))
            .reduce((sum, entry) => sum + entry.encodedBodySize, 0)""")
        if weight > PAGE_WEIGHT_BUDGET:
            problems.append(f"weighs {weight:,} bytes, over the budget of {PAGE_WEIGHT_BUDGET:,}")
        page.set_viewport_size(PHONE)
        problems += [f"phone: {line}" for line in axe_violations(page)]
        if overflows_horizontally(page):
            width = page.evaluate("document.documentElement.scrollWidth")
            problems.append(f"phone: {width} px wide, wider than the 375 px screen")
        outside = [u for u in self.requests if not u.startswith(self.base_url + "/") and not u.startswith("data:")]
        problems += [f"requests {u}, outside the server" for u in outside]
        return title, problems

    def close(self):
        self.context.close()


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_is_accessible_light_and_titled(role, browser, demo_server):
    app, base_url = demo_server
    with app.app_context():
        emails = applicant_emails() if role == "applicant" else STAFF_EMAILS[role]
        given = {email: parameters(db.session.scalar(select(User).where(User.email == email)) if email else None)
                 for email in emails}
        rules = [rule for rule in page_rules(app) if may_see(rule.endpoint, role)]
    problems, titles, visited, checked = [], defaultdict(set), set(), set()
    for email in emails:
        visit = Visit(browser, base_url, email)
        try:
            for rule in rules:
                for url, shows in urls(rule, given[email]):
                    if shows in checked or not visit.is_page(url):
                        continue
                    checked.add(shows)
                    visited.add(rule.endpoint)
                    title, found = visit.check(url)
                    titles[title].add((url, rule.endpoint))
                    problems += [f"{url} ({email or role}): {line}" for line in found]
                    print(f"checked {url}: {len(found)} problems", *found, sep="\n  ", flush=True)
        finally:
            visit.close()
    for rule in rules:
        if rule.endpoint not in visited and (rule.endpoint, role) not in SKIPPED:
            problems.append(f"{rule.endpoint} ({rule.rule}): the {role} may see it but no demo object showed it "
                            "as a page; give the world such an object or list it in SKIPPED with the reason")
    for title, where in titles.items():
        if len(where) > 1 and {endpoint for _url, endpoint in where} not in SAME_PAGE:
            problems.append(f"the title {title!r} names {len(where)} pages: {sorted(where)}")
        if not title.split(" · ")[0].strip() or title.count("UNSCAR Grants") > 1:
            problems.append(f"the title {title!r} of {sorted(where)} does not say what the page is")
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def readme_demo_logins() -> list[tuple[str, str, str]]:
    """(role, name, e-mail) of each account in README.md's "Demo log-ins" table; a row
    "Applicant 1 … Applicant 11 | `applicant1@…` … `applicant11@…`" stands for the range."""
    text = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    table = text.split("### Demo log-ins", 1)[1].split("\n\n| role |", 1)[1].split("\n\n", 1)[0]
    accounts = []
    for row in table.splitlines()[2:]:
        role, name, emails = (cell.strip() for cell in row.strip("|").split("|"))
        found = re.findall(r"`([^`]+)`", emails)
        if "…" in emails:
            (first, low), (_last, high) = (re.match(r"\D+(\d+)@", e).group(0, 1) for e in found)
            stem, domain = re.match(r"(\D+)\d+(@.+)", found[0]).groups()
            label = re.match(r"(.*?)\d+ …", name).group(1)
            accounts += [(role, f"{label}{n}", f"{stem}{n}{domain}") for n in range(int(low), int(high) + 1)]
        else:
            accounts += [(role, name, email) for email in found]
    return accounts


def test_the_readme_demo_logins_are_the_demo_worlds_accounts(demo_database, tmp_path):
    listed = readme_demo_logins()
    app = create_app(make_config(copy_for_test(demo_database, tmp_path), tmp_path))
    with app.app_context():
        users = db.session.scalars(select(User).options(selectinload(User.role_links))).all()
        actual = {(role, user.name, user.email) for user in users for role in user.roles}
        db.session.remove()
        db.engine.dispose()
    assert len(listed) == len(set(listed)) > 0
    assert set(listed) == actual, (f"in README.md, not in the demo: {sorted(set(listed) - actual)}; "
                                   f"in the demo, not in README.md: {sorted(actual - set(listed))}")
