"""Put the world back after a request that changed it, so every case meets the same world.

SQLite: the database file and the upload folder are copied aside once and copied back.
PostgreSQL: every table's rows are read once and written back after a TRUNCATE (which
the audit log's append-only triggers allow), with the id sequences moved past them.
A fingerprint (every table's row count but the stash's and the last audit event) tells whether a request
changed anything: a refused request must leave it as it was.
"""
import shutil
from pathlib import Path

from sqlalchemy import func, select, text

from unscar.audit.models import AuditEvent
from unscar.extensions import db


class Snapshot:
    def __init__(self, upload_folder: str):
        self.uploads = Path(upload_folder)
        self.tables = db.metadata.sorted_tables
        # Anyone's post may be stashed for its own browser after a session expired
        # (SECURITY.md finding 7): a change by design, so not counted as one.
        self.counted = [t for t in self.tables if t.name != "stashed_forms"]
        self.sqlite = db.engine.dialect.name == "sqlite"
        self.baseline = None

    def take(self) -> None:
        db.session.commit()
        self._reset_connections()
        self.uploads.mkdir(parents=True, exist_ok=True)
        shutil.copytree(self.uploads, self._aside(self.uploads), dirs_exist_ok=True)
        if self.sqlite:
            shutil.copyfile(self._database_file(), self._aside(self._database_file()))
        else:
            with db.engine.connect() as conn:
                self.rows = {t.name: [dict(row) for row in conn.execute(select(t)).mappings()] for t in self.tables}
        self.baseline = self.fingerprint()

    def restore(self) -> None:
        self._reset_connections()
        shutil.rmtree(self.uploads)
        shutil.copytree(self._aside(self.uploads), self.uploads)
        if self.sqlite:
            for suffix in ("-wal", "-shm"):
                Path(f"{self._database_file()}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self._aside(self._database_file()), self._database_file())
        else:
            self._rewrite_postgres()

    def changed(self) -> bool:
        return self.fingerprint() != self.baseline

    def fingerprint(self) -> tuple:
        counts = [select(func.count()).select_from(t).scalar_subquery() for t in self.counted]
        last_event = select(func.max(AuditEvent.id)).scalar_subquery()
        row = db.session.execute(select(last_event, *counts)).one()
        db.session.rollback()
        return tuple(row)

    def _rewrite_postgres(self) -> None:
        names = ", ".join(t.name for t in self.tables)
        with db.engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            for table in self.tables:
                if self.rows[table.name]:
                    conn.execute(table.insert(), self.rows[table.name])
                if "id" in table.c:
                    conn.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                      f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {table.name}"))

    @staticmethod
    def _reset_connections() -> None:
        db.session.remove()
        db.engine.dispose()

    @staticmethod
    def _aside(path: Path) -> Path:
        return Path(f"{path}.snapshot")

    @staticmethod
    def _database_file() -> Path:
        return Path(db.engine.url.database)
