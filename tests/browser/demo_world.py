"""The demo world (`flask unscar demo`) as a database for browser tests, built once per test
session: every organisation type, every role, calls and proposals in every state, grants
with reports and revisions. Building it takes about half a minute, so it is made once and
each test gets a copy (SQLite) or shares it read-only (PostgreSQL: its own database,
<DATABASE_URL's database>_demo, which the tests only read).

The demo lacks a few objects that some pages need; `top_up` adds them through the
services, as a user would: a clarification question (answered and unanswered).
"""
import shutil

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from tests.conftest import DATABASE_URL, ON_POSTGRES, _upgrade, make_config
from unscar import create_app
from unscar.accounts.models import User
from unscar.demo import load_demo
from unscar.extensions import db
from unscar.proposals.models import Proposal, ProposalStatus
from unscar.screening.clarifications import answer_clarification, ask_clarification


def _fresh_postgres_database(suffix: str) -> str:
    url = make_url(DATABASE_URL)
    own = url.set(database=f"{url.database}_{suffix}")
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{own.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{own.database}"'))
    server.dispose()
    return own.render_as_string(hide_password=False)


def top_up() -> None:
    """What the demo does not hold but a page shows: clarification questions, one answered."""
    staff = db.session.scalar(select(User).where(User.email == "secretariat1@demo.unscar.org"))
    proposals = db.session.scalars(select(Proposal).where(Proposal.status.in_(
        [ProposalStatus.submitted, ProposalStatus.under_review])).order_by(Proposal.id)).all()
    first = ask_clarification(staff, proposals[0], "Please confirm the co-funding from your ministry.")
    ask_clarification(staff, proposals[0], "Which border posts will the training cover?")
    applicant = db.session.scalar(select(User).where(User.organisation_id == proposals[0].organisation_id)
                                  .order_by(User.id).limit(1))
    answer_clarification(applicant, first, "The ministry confirmed USD 20,000 in writing on 3 March.")


def build_demo_database(tmp_path, database_template=None, suffix: str = "demo") -> str:
    """A database URL holding the demo world, migrated to head; on PostgreSQL a database of
    its own named after DATABASE_URL's and `suffix`."""
    if ON_POSTGRES:
        url = _fresh_postgres_database(suffix)
        _upgrade(url, tmp_path)
    else:
        path = tmp_path / "demo.sqlite3"
        shutil.copyfile(database_template, path)
        url = f"sqlite:///{path}"
    app = create_app(make_config(url, tmp_path))
    with app.app_context():
        load_demo()
        top_up()
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return url


def copy_for_test(demo_url: str, tmp_path) -> str:
    """A test's own copy on SQLite; the shared database on PostgreSQL (read only)."""
    if ON_POSTGRES:
        return demo_url
    path = tmp_path / "demo-copy.sqlite3"
    shutil.copyfile(make_url(demo_url).database, path)
    return f"sqlite:///{path}"
