"""Restoring a backup: checked whole first, then the files, then every row in one transaction."""
import json
from pathlib import Path

from sqlalchemy import func, insert, inspect, select, text

from ..audit.services import record_event
from ..extensions import db
from ..files import stored_path
from . import rows
from .manifest import BackupError, copy_hashed, file_digest, read_manifest, verify_files
from .schema import head_revision, rebuild_at

_BATCH = 1000
# Rows the migrations insert themselves (the fund's one row): a freshly migrated database
# holds them and is still empty.
_MIGRATION_ROWS = {"fund": 1}


def restore_backup(folder: Path, wipe: bool = False) -> dict:
    """Restore the backup in `folder` into the application's database and upload folder.

    Refuses, before changing anything, a backup whose files do not match its manifest, one
    of another schema revision, and a database holding data unless `wipe` (which deletes
    it). Returns the manifest, with "restored_rows"."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    verify_files(folder, manifest)
    tables = _tables_of(manifest)
    in_use = _rows_in_use()
    if in_use and not wipe:
        listed = ", ".join(f"{count} in {name}" for name, count in in_use[:5])
        raise BackupError(f"The database already holds data ({listed}{', …' if len(in_use) > 5 else ''}): "
                          "restore into an empty database, or pass --wipe to delete everything in it first.")
    stored = [name for name in manifest["files"] if name.startswith("files/")]
    _refuse_other_files_under_same_keys(folder, stored)
    db.session.close()  # a transaction of this session would block the migrations' DROPs
    rebuild_at(manifest["revision"])
    written = _restore_files(folder, manifest, stored)
    try:
        manifest["restored_rows"] = _load(folder, manifest, tables)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return manifest


def _tables_of(manifest: dict) -> list:
    """The models' tables in dependency order, each matched to its part of the backup."""
    revision, head = manifest["revision"], head_revision()
    if revision != head:
        raise BackupError(f"The backup is of schema revision {revision} (application version "
                          f"{manifest.get('app_version', 'unknown')}); this application is at {head}. Restore it "
                          "with the version that made it, then upgrade with `flask --app wsgi db upgrade`.")
    parts = {entry["name"]: entry for entry in manifest["tables"]}
    models = {table.name: table for table in db.metadata.sorted_tables}
    if set(parts) != set(models):
        raise BackupError(f"The backup's tables differ from the models': {sorted(set(parts) ^ set(models))}.")
    for name, table in models.items():
        if parts[name]["columns"] != [c.name for c in table.columns]:
            raise BackupError(f"The backup's columns of {name} differ from the models'.")
    return [(table, parts[table.name]) for table in db.metadata.sorted_tables]


def _rows_in_use() -> list[tuple[str, int]]:
    present = set(inspect(db.engine).get_table_names())
    with db.engine.connect() as conn:
        counts = [(t.name, conn.scalar(select(func.count()).select_from(t)))
                  for t in db.metadata.sorted_tables if t.name in present]
    return [(name, count) for name, count in counts if count > _MIGRATION_ROWS.get(name, 0)]


def _refuse_other_files_under_same_keys(folder: Path, stored: list[str]) -> None:
    for name in stored:
        target = stored_path(name.removeprefix("files/"))
        if target.exists() and file_digest(target) != file_digest(folder / name):
            raise BackupError(f"The upload folder already holds other bytes under the name of {name}; "
                              "restore into an empty upload folder.")


def _restore_files(folder: Path, manifest: dict, stored: list[str]) -> list[Path]:
    """Copy the stored files into the upload folder; the paths this restore created."""
    written = []
    try:
        for name in stored:
            target = stored_path(name.removeprefix("files/"))
            if target.exists():
                continue  # the same bytes (checked above)
            written.append(target)
            if copy_hashed(folder / name, target) != manifest["files"][name]:
                raise BackupError(f"{name} changed while it was being restored.")
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return written


def _load(folder: Path, manifest: dict, tables: list) -> int:
    conn = db.session.connection()
    for table, _part in reversed(tables):
        if conn.scalar(select(func.count()).select_from(table)):
            conn.execute(table.delete())  # only the migrations' own rows (checked before)
    total = 0
    for table, part in tables:
        total += _load_table(conn, table, folder / part["file"], part)
    if conn.dialect.name == "postgresql":
        _reset_sequences(conn, [table for table, _part in tables])
    record_event(None, "backup.restored", object_type="system", after={
        "created_at": manifest.get("created_at"), "revision": manifest["revision"],
        "app_version": manifest.get("app_version"), "rows": total,
        "files": sum(1 for name in manifest["files"] if name.startswith("files/"))})
    db.session.flush()
    return total


def _load_table(conn, table, path: Path, part: dict) -> int:
    columns = list(table.columns)
    decoders = [rows.decoder(c) for c in columns]
    statement = insert(rows.loading_table(table))
    batch, count = [], 0
    with path.open(encoding="utf-8", newline="\n") as handle:
        for number, line in enumerate(handle, start=1):
            try:
                values = json.loads(line)
            except json.JSONDecodeError:
                raise BackupError(f"{part['file']} line {number} is not JSON.") from None
            if not isinstance(values, list) or len(values) != len(columns):
                raise BackupError(f"{part['file']} line {number} does not hold the {len(columns)} columns of "
                                  f"{table.name}.")
            batch.append({c.name: decode(v) for c, decode, v in zip(columns, decoders, values)})
            if len(batch) == _BATCH:
                conn.execute(statement, batch)
                count, batch = count + len(batch), []
    if batch:
        conn.execute(statement, batch)
        count += len(batch)
    if count != part["rows"]:
        raise BackupError(f"{part['file']} holds {count} rows, the manifest says {part['rows']}.")
    return count


def _reset_sequences(conn, tables) -> None:
    """Rows came with their ids, so each serial's sequence is moved past the highest."""
    quote = conn.dialect.identifier_preparer.quote
    for table in tables:
        for column in table.primary_key.columns:
            sequence = conn.scalar(text("SELECT pg_get_serial_sequence(:table, :column)"),
                                   {"table": table.name, "column": column.name})
            if sequence:
                conn.execute(text(f"SELECT setval(CAST(:sequence AS regclass), COALESCE(MAX({quote(column.name)}), 1), "
                                  f"MAX({quote(column.name)}) IS NOT NULL) FROM {quote(table.name)}"),
                             {"sequence": sequence})
