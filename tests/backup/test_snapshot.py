"""A backup is one snapshot: what another connection commits while the tables are being
read is in none of them, on SQLite (WAL) as on PostgreSQL (REPEATABLE READ)."""
import json

from sqlalchemy import func, insert, select

from tests.factories import AttachmentFactory
from unscar.audit.models import AuditEvent
from unscar.backup import dump
from unscar.dates import utcnow
from unscar.extensions import db
from unscar.funds.models import Donor


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_what_is_committed_during_a_backup_is_in_none_of_its_tables(app, tmp_path, monkeypatch):
    AttachmentFactory()
    donors, events = _count(Donor), _count(AuditEvent)
    dump_table = dump._dump_table

    def dump_then_write(conn, table, *args):
        result = dump_table(conn, table, *args)
        if table.name == "calls":  # the first table: the snapshot has begun
            with db.engine.begin() as other:
                other.execute(insert(Donor).values(name="Written during the backup", country="NOR"))
                other.execute(insert(AuditEvent).values(at=utcnow(), action="donor.created", object_type="donors"))
        return result

    monkeypatch.setattr(dump, "_dump_table", dump_then_write)
    result = app.test_cli_runner().invoke(args=["unscar", "backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    assert (_count(Donor), _count(AuditEvent)) == (donors + 1, events + 1)  # written, and committed
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    rows = {table["name"]: table["rows"] for table in manifest["tables"]}
    assert (rows["donors"], rows["audit_events"]) == (donors, events)
