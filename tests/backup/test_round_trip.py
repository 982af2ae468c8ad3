"""A backup restored into an empty database gives back the same fund: every ledger entry and
the fund's, grants' and donors' figures, the portfolio's figures, every stored file's
bytes and every row of every table; on SQLite, on PostgreSQL, and from one to the other."""
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from tests.conftest import ON_POSTGRES
from tests.files import docx_bytes, pdf_bytes, png_bytes
from unscar.accounts.documents import add_document
from unscar.accounts.models import Organisation, User
from unscar.calls.models import Call, CallStatus
from unscar.calls.services import add_template
from unscar.demo import load_demo
from unscar.extensions import db
from unscar.files import StoredFile, stored_path
from unscar.funds.models import Donor
from unscar.funds.services import create_donor, donor_summary, fund_figures, grant_figures
from unscar.grants.models import Grant, GrantStatus, Report, ReportStatus
from unscar.grants.report_files import add_report_attachment
from unscar.portfolio.figures import portfolio_figures
from unscar.proposals.models import Proposal, ProposalStatus
from unscar.proposals.services import add_attachment


def _fill() -> None:
    """The demo (every state, the ledger, the portfolio's history), and a stored file of
    each kind: a call template, a proposal attachment, an organisation document and a file
    of a filed report."""
    load_demo()
    db.session.commit()
    secretariat = db.session.scalars(select(User).where(User.email == "secretariat1@demo.unscar.org")).one()
    call = db.session.scalars(select(Call).where(Call.status != CallStatus.archived).order_by(Call.id)).first()
    add_template(secretariat, call, "budget template.docx", docx_bytes())
    draft = db.session.scalars(select(Proposal).where(Proposal.status == ProposalStatus.draft)
                               .order_by(Proposal.id)).first()
    owner = db.session.get(User, draft.created_by_id)
    add_attachment(owner, draft, "work plan.pdf", pdf_bytes("work plan"))
    add_document(owner, db.session.get(Organisation, owner.organisation_id), "registration – 2026.pdf",
                 pdf_bytes("registration"))
    report = db.session.scalars(select(Report).join(Grant).where(
        Report.status == ReportStatus.submitted, Grant.status != GrantStatus.closed).order_by(Report.id)).first()
    grantee = db.session.scalars(select(User).where(User.organisation_id == report.grant.organisation_id)
                                 .order_by(User.id)).first()
    add_report_attachment(grantee, report, "training photo.png", png_bytes())
    db.session.commit()


def _observed() -> dict:
    """What the application shows of the fund, and every row of every table."""
    tables = {table.name: [dict(row._mapping) for row in db.session.execute(
        select(table).order_by(*table.primary_key.columns))] for table in db.metadata.sorted_tables}
    grant_ids = db.session.scalars(select(Grant.id).order_by(Grant.id)).all()
    donors = db.session.scalars(select(Donor).order_by(Donor.id)).all()
    files = {}
    for mapper in db.Model.registry.mappers:
        if issubclass(mapper.class_, StoredFile):
            for stored in db.session.scalars(select(mapper.class_)):
                files[(mapper.local_table.name, stored.id)] = (stored.filename, stored.sha256,
                                                               stored_path(stored.storage_key).read_bytes())
    return {
        "tables": tables,
        "fund": fund_figures(),
        "grants": {grant_id: grant_figures(grant_id) for grant_id in grant_ids},
        # A summary's contributions are model objects; their rows are compared with the tables.
        "donors": {donor.id: {k: v for k, v in donor_summary(donor).items() if k != "contributions"}
                   for donor in donors},
        "portfolio": _in_one_order(portfolio_figures({})),
        "portfolio_since_2020": _in_one_order(portfolio_figures({"year_from": 2020})),
        "files": files,
    }


def _in_one_order(figures: dict) -> dict:
    """The figures with each breakdown's "no value" group first: the portfolio shows it where
    the database's ORDER BY would (first on SQLite, last on PostgreSQL; figures._none_first),
    which a restore into the other database rightly changes."""
    def reordered(value):
        if isinstance(value, list) and value and all(isinstance(v, dict) and "key" in v for v in value):
            return [v for v in value if v["key"] is None] + [v for v in value if v["key"] is not None]
        return value

    return {name: reordered(value) for name, value in figures.items()}


def _backup(app, folder: Path) -> None:
    result = app.test_cli_runner().invoke(args=["unscar", "backup", str(folder)])
    assert result.exit_code == 0, result.output
    assert "4 stored files" in result.output


def _restore_and_compare(target, folder: Path, expected: dict) -> None:
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["unscar", "restore", str(folder)])
        assert result.exit_code == 0, result.output
        observed = _observed()
        # The database keeps working: new rows get new ids (PostgreSQL's sequences moved on).
        secretariat = db.session.scalars(select(User).where(User.email == "secretariat1@demo.unscar.org")).one()
        create_donor(secretariat, "A donor after the restore", "NOR")
        db.session.commit()
    audit, expected_audit = observed["tables"].pop("audit_events"), expected["tables"]["audit_events"]
    # The restore adds one audit event, its own, after the backup's.
    assert audit[:-1] == expected_audit
    assert audit[-1]["action"] == "backup.restored" and audit[-1]["after"]["rows"] == sum(
        len(rows) for rows in expected["tables"].values())
    # ...and its link on the audit chain, which the restored chain carries on (verify-audit).
    chain, expected_chain = observed["tables"].pop("audit_chain"), expected["tables"]["audit_chain"]
    assert chain[:-1] == expected_chain
    assert chain[-1]["event_id"] == audit[-1]["id"] and chain[-1]["prev_hash"] == expected_chain[-1]["hash"]
    with target.app_context():
        verified = target.test_cli_runner().invoke(args=["unscar", "verify-audit"])
    assert verified.exit_code == 0 and "Audit chain intact" in verified.output, verified.output
    for name, rows in expected["tables"].items():
        if name not in ("audit_events", "audit_chain"):
            assert observed["tables"][name] == rows, f"the rows of {name} differ"
    assert len(expected["tables"]["ledger_entries"]) > 100 and len(expected["files"]) == 4
    for key in ("fund", "grants", "donors", "portfolio", "portfolio_since_2020", "files"):
        assert observed[key] == expected[key], f"{key} differ"


def test_a_restore_into_an_empty_database_gives_back_the_same_fund(app, other_app, tmp_path, request):
    _fill()
    expected = _observed()
    _backup(app, tmp_path / "backup")
    if ON_POSTGRES:
        # PostgreSQL to PostgreSQL, and to SQLite.
        targets = [request.getfixturevalue("empty_postgres_url"), f"sqlite:///{tmp_path / 'restored.sqlite3'}"]
    else:
        targets = [f"sqlite:///{tmp_path / 'restored.sqlite3'}"]
    for number, url in enumerate(targets):
        _restore_and_compare(other_app(url, f"target{number}"), tmp_path / "backup", expected)


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL)")
def test_a_sqlite_backup_restores_into_postgresql(other_app, empty_postgres_url, tmp_path):
    source = other_app(f"sqlite:///{tmp_path / 'source.sqlite3'}", "source")
    with source.app_context():
        upgrade()
        _fill()
        expected = _observed()
        _backup(source, tmp_path / "backup")
    _restore_and_compare(other_app(empty_postgres_url, "target"), tmp_path / "backup", expected)
