"""What backup and restore refuse, before they change anything: a changed, missing or
misplaced file, another schema revision, a database that holds data (unless --wipe), a
folder that is not new; and a stored file the upload folder lost is reported, not hidden."""
import json

import pytest
from sqlalchemy import func, inspect, select, text

from tests.factories import AttachmentFactory, make_user
from unscar.accounts.models import User
from unscar.extensions import db
from unscar.files import stored_path
from unscar.proposals.models import Attachment


@pytest.fixture
def backup(app, tmp_path):
    """A backup of a small database: a call, a proposal and its one PDF attachment."""
    attachment = AttachmentFactory()
    folder = tmp_path / "backup"
    result = app.test_cli_runner().invoke(args=["unscar", "backup", str(folder)])
    assert result.exit_code == 0, result.output
    assert "1 stored files" in result.output
    return folder, attachment.storage_key


@pytest.fixture
def empty_target(app, other_app, tmp_path):
    """restore(folder, *options) into an application on a new, empty SQLite database:
    (exit code, output, the table names then in that database, the files in its uploads)."""
    target = other_app(f"sqlite:///{tmp_path / 'target.sqlite3'}", "target")
    uploads = tmp_path / "target" / "uploads"

    def restore(folder, *options):
        with target.app_context():
            result = target.test_cli_runner().invoke(args=["unscar", "restore", *options, str(folder)])
            tables = inspect(db.engine).get_table_names()
        files = sorted(path.name for path in uploads.iterdir()) if uploads.exists() else []
        return result.exit_code, result.output, tables, files

    return restore


def _manifest(folder):
    return json.loads((folder / "manifest.json").read_text())


def _part(folder, table: str) -> str:
    return next(entry["file"] for entry in _manifest(folder)["tables"] if entry["name"] == table)


def test_the_backup_restores_into_an_empty_database(backup, empty_target):
    folder, key = backup
    code, output, tables, files = empty_target(folder)
    assert code == 0, output
    assert "users" in tables and files == [key]


@pytest.mark.parametrize("which", ["users rows", "stored file"])
def test_a_changed_file_is_refused_naming_it(backup, empty_target, which):
    folder, key = backup
    name = _part(folder, "users") if which == "users rows" else f"files/{key}"
    data = bytearray((folder / name).read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit, the size unchanged
    (folder / name).write_bytes(bytes(data))
    code, output, tables, files = empty_target(folder)
    assert code == 1
    assert f"{name} does not match its SHA-256 in the manifest" in output
    assert tables == [] and files == []  # nothing was touched


def test_a_truncated_file_is_refused_naming_it(backup, empty_target):
    folder, _key = backup
    name = _part(folder, "proposals")
    (folder / name).write_bytes((folder / name).read_bytes()[:-10])
    code, output, tables, _files = empty_target(folder)
    assert code == 1 and f"{name} has" in output and "the manifest says" in output and tables == []


def test_a_missing_file_is_refused_naming_it(backup, empty_target):
    folder, key = backup
    (folder / "files" / key).unlink()
    code, output, tables, files = empty_target(folder)
    assert code == 1
    assert f"The backup is incomplete: files/{key} is missing." in output
    assert tables == [] and files == []


def test_a_folder_without_its_manifest_is_refused(backup, empty_target):
    folder, _key = backup
    (folder / "manifest.json").unlink()
    code, output, tables, _files = empty_target(folder)
    assert code == 1 and "has no manifest.json" in output and "did not finish" in output and tables == []


def test_a_manifest_naming_a_file_outside_the_backup_is_refused(backup, empty_target):
    folder, key = backup
    manifest = _manifest(folder)
    manifest["files"]["files/../../escape"] = manifest["files"].pop(f"files/{key}")
    (folder / "manifest.json").write_text(json.dumps(manifest))
    code, output, tables, files = empty_target(folder)
    assert code == 1 and "names a file outside the backup's folders: 'files/../../escape'" in output
    assert tables == [] and files == []


def test_a_backup_of_another_schema_revision_is_refused(backup, empty_target):
    folder, _key = backup
    manifest = _manifest(folder)
    manifest["revision"] = "d210e403b698"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    code, output, tables, _files = empty_target(folder)
    assert code == 1 and "The backup is of schema revision d210e403b698" in output
    assert "Restore it with the version that made it" in output and tables == []


def test_a_database_holding_data_is_refused_unless_wiped(app, backup):
    folder, key = backup
    make_user("secretariat", email="after.backup@example.org")
    db.session.commit()
    users = db.session.scalar(select(func.count()).select_from(User))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["unscar", "restore", str(folder)])
    assert result.exit_code == 1
    assert "The database already holds data (" in result.output and "users" in result.output
    assert "pass --wipe" in result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == users

    stored_path(key).unlink()  # lost since the backup
    result = runner.invoke(args=["unscar", "restore", "--wipe", str(folder)])
    assert result.exit_code == 0, result.output
    db.session.rollback()
    assert db.session.scalar(select(User).where(User.email == "after.backup@example.org")) is None
    assert db.session.scalar(select(func.count()).select_from(User)) == users - 1
    attachment = db.session.scalars(select(Attachment)).one()
    assert stored_path(key).read_bytes() and attachment.storage_key == key


def test_a_backup_needs_a_new_or_empty_folder(app, backup):
    folder, _key = backup
    before = sorted(path.name for path in folder.rglob("*"))
    result = app.test_cli_runner().invoke(args=["unscar", "backup", str(folder)])
    assert result.exit_code == 1 and "already exists and is not an empty folder" in result.output
    assert sorted(path.name for path in folder.rglob("*")) == before


def test_a_database_behind_the_migrations_is_not_backed_up(app, tmp_path):
    make_user("secretariat")
    # PostgreSQL's tests share one database: whatever revision it held is put back.
    current = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    db.session.execute(text("UPDATE alembic_version SET version_num = 'd210e403b698'"))
    db.session.commit()
    try:
        result = app.test_cli_runner().invoke(args=["unscar", "backup", str(tmp_path / "backup")])
    finally:
        db.session.execute(text("UPDATE alembic_version SET version_num = :current"), {"current": current})
        db.session.commit()
    assert result.exit_code == 1
    assert "The database is at schema revision d210e403b698" in result.output and "db upgrade" in result.output
    assert not (tmp_path / "backup").exists()  # nothing left to be mistaken for a backup


def test_a_stored_file_the_uploads_lost_is_reported_and_the_rest_backed_up(app, empty_target, tmp_path):
    lost, kept = AttachmentFactory(), AttachmentFactory()
    stored_path(lost.storage_key).unlink()
    folder = tmp_path / "backup"
    result = app.test_cli_runner().invoke(args=["unscar", "backup", str(folder)])
    assert result.exit_code == 1
    assert f"attachments {lost.id}: stored file {lost.storage_key} missing" in result.output
    assert "1 stored files could not be backed up" in result.output
    assert _manifest(folder)["unreadable_files"] == [
        {"table": "attachments", "id": lost.id, "storage_key": lost.storage_key, "problem": "missing"}]
    code, output, _tables, files = empty_target(folder)
    assert code == 0 and files == [kept.storage_key]
    assert f"Not in the backup: attachments {lost.id}'s stored file {lost.storage_key} (missing)" in output
