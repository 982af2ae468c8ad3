"""Writing a backup: every table read in one snapshot, then the stored files its rows name."""
import json
import subprocess
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from ..dates import utcnow
from ..extensions import db
from ..files import StoredFile, stored_path
from . import rows
from .manifest import FORMAT, FORMAT_VERSION, BackupError, HashingWriter, copy_hashed, write_manifest
from .schema import database_revision, head_revision

_BATCH = 1000


def write_backup(folder: Path) -> dict:
    """Write a backup into `folder` (new, or an empty folder) and return its manifest.

    Files the database names but the upload folder lacks, or holds with other bytes, are
    listed under "unreadable_files" and left out: the rest of the backup is still good."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise BackupError(f"{folder} already exists and is not an empty folder; give a new one.")
    manifest = {"format": FORMAT, "format_version": FORMAT_VERSION, "created_at": utcnow().isoformat(),
                "app_version": app_version(), "database": db.engine.dialect.name, "files": {}, "tables": []}
    with _snapshot() as conn:
        manifest["revision"] = _revision(conn)
        (folder / "database").mkdir(parents=True)
        (folder / "files").mkdir()
        stored = []
        for number, table in enumerate(db.metadata.sorted_tables, start=1):
            name = f"database/{number:03d}-{table.name}.jsonl"
            count, checked = _dump_table(conn, table, folder / name, stored)
            manifest["files"][name] = checked
            manifest["tables"].append({"name": table.name, "file": name, "rows": count,
                                       "columns": [c.name for c in table.columns]})
    manifest["unreadable_files"] = _copy_stored(folder, stored, manifest["files"])
    write_manifest(folder, manifest)
    return manifest


def app_version() -> str:
    """The commit the application runs from, when it runs from a git checkout."""
    try:
        result = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=current_app.config["BASE_DIR"],
                                capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else "unknown"


@contextmanager
def _snapshot():
    """One read transaction over every table: REPEATABLE READ on PostgreSQL (what pg_dump
    uses); on SQLite a transaction's reads all see the database as at its first (WAL)."""
    with db.engine.connect() as conn:
        if conn.dialect.name == "postgresql":
            conn = conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            yield conn


def _revision(conn) -> str:
    revision, head = database_revision(conn), head_revision()
    if revision != head:
        # The rows are read through the models, which describe the head revision only.
        raise BackupError(f"The database is at schema revision {revision}, the application at {head}: "
                          "run `flask --app wsgi db upgrade` first.")
    return revision


def _stored_file_tables() -> set[str]:
    return {mapper.local_table.name for mapper in db.Model.registry.mappers if issubclass(mapper.class_, StoredFile)}


def _dump_table(conn, table, path: Path, stored: list) -> tuple[int, dict]:
    """Stream the table's rows, in primary key order, as JSON lines; note its stored files."""
    columns = list(table.columns)
    keeps_files = table.name in _stored_file_tables()
    query = select(*[rows.selected(c) for c in columns]).order_by(*table.primary_key.columns)
    result = conn.execution_options(yield_per=_BATCH).execute(query)
    writer, count = HashingWriter(path), 0
    try:
        for batch in result.partitions():
            lines = []
            for row in batch:
                lines.append(json.dumps([rows.encode(v, c) for v, c in zip(row, columns)],
                                        ensure_ascii=False, separators=(",", ":")))
                if keeps_files:
                    stored.append((table.name, row.id, row.storage_key, row.size, row.sha256))
            count += len(lines)
            if lines:
                writer.write(("\n".join(lines) + "\n").encode("utf-8"))
    finally:
        checked = writer.close()
    return count, checked


def _copy_stored(folder: Path, stored: list, files: dict) -> list[dict]:
    """Copy each stored file the rows name, checked against the size and SHA-256 the
    database recorded at upload; the ones that are missing or differ, as problems."""
    problems = []
    for table, row_id, key, size, sha256 in stored:
        name = f"files/{key}"
        if name in files:
            continue
        source = stored_path(key)
        if not source.is_file():
            problems.append({"table": table, "id": row_id, "storage_key": key, "problem": "missing"})
            continue
        checked = copy_hashed(source, folder / name)
        if (checked["size"], checked["sha256"]) != (size, sha256):
            (folder / name).unlink()
            problems.append({"table": table, "id": row_id, "storage_key": key,
                             "problem": "its bytes differ from the SHA-256 recorded at upload"})
            continue
        files[name] = checked
    return problems
