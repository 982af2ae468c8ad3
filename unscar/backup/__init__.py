"""Backups that restore on SQLite or PostgreSQL alike: `flask --app wsgi unscar backup DIR`
and `restore DIR`.

A backup is a folder: manifest.json (written last, so a folder without it is an unfinished
backup), database/ with each table's rows as JSON lines in dependency order, and files/
with the stored files the rows name. The manifest gives every file's size and SHA-256, the
schema revision, the time and the application's version; restore checks all of it before
it touches the database.
"""
from .dump import write_backup
from .load import restore_backup
from .manifest import BackupError

__all__ = ["BackupError", "restore_backup", "write_backup"]
