"""The manifest: what a backup holds, each file's size and SHA-256, and the checks restore
makes before it trusts a backup."""
import hashlib
import json
import re
from pathlib import Path

MANIFEST = "manifest.json"
FORMAT = "unscar-backup"
FORMAT_VERSION = 1
# The only paths a manifest may name: a tampered manifest must not make restore read
# (or, for stored files, write) anything outside the backup and the upload folder.
_PART_PATH = re.compile(r"database/[0-9]{3}-[a-z0-9_]+\.jsonl")
_FILE_PATH = re.compile(r"files/[A-Za-z0-9]+")
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be written or restored, with the reason an operator can act on."""


class HashingWriter:
    """A binary file that counts and hashes what is written to it."""

    def __init__(self, path: Path):
        self._file = path.open("xb")
        self._hash = hashlib.sha256()
        self.size = 0

    def write(self, data: bytes) -> None:
        self._file.write(data)
        self._hash.update(data)
        self.size += len(data)

    def close(self) -> dict:
        self._file.close()
        return {"size": self.size, "sha256": self._hash.hexdigest()}


def copy_hashed(source: Path, target: Path) -> dict:
    """Copy a file in chunks; its size and SHA-256."""
    writer = HashingWriter(target)
    try:
        with source.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                writer.write(chunk)
    finally:
        checked = writer.close()
    return checked


def file_digest(path: Path) -> dict:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return {"size": size, "sha256": digest.hexdigest()}


def write_manifest(folder: Path, manifest: dict) -> None:
    # Written under another name and renamed: a manifest is there whole or not at all.
    partial = folder / (MANIFEST + ".partial")
    partial.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    partial.replace(folder / MANIFEST)


def read_manifest(folder: Path) -> dict:
    """The manifest, checked for form (not yet against the files: see verify_files)."""
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} has no {MANIFEST}: it is not a backup, or its writing did not finish.")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{MANIFEST} is not readable JSON ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{MANIFEST} is not the manifest of an UNSCAR Grants backup.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{MANIFEST} is of backup format {manifest.get('format_version')!r}; "
                          f"this version of the application reads format {FORMAT_VERSION}.")
    _check_form(manifest)
    return manifest


def _check_form(manifest: dict) -> None:
    files, tables = manifest.get("files"), manifest.get("tables")
    if not isinstance(files, dict) or not isinstance(tables, list) or not isinstance(manifest.get("revision"), str):
        raise BackupError(f"{MANIFEST} lacks its files, tables or schema revision.")
    for name, entry in files.items():
        if not (_PART_PATH.fullmatch(name) or _FILE_PATH.fullmatch(name)):
            raise BackupError(f"{MANIFEST} names a file outside the backup's folders: {name!r}.")
        if not (isinstance(entry, dict) and isinstance(entry.get("size"), int)
                and isinstance(entry.get("sha256"), str)):
            raise BackupError(f"{MANIFEST} gives no size and SHA-256 for {name}.")
    for table in tables:
        if not (isinstance(table, dict) and isinstance(table.get("name"), str) and table.get("file") in files
                and isinstance(table.get("columns"), list) and isinstance(table.get("rows"), int)):
            raise BackupError(f"{MANIFEST} describes a table badly: {table!r:.200}.")


def verify_files(folder: Path, manifest: dict) -> None:
    """Every file the manifest lists is there with its size and SHA-256, else BackupError
    naming the first that is not."""
    for name, expected in sorted(manifest["files"].items()):
        path = folder / name
        if not path.is_file():
            raise BackupError(f"The backup is incomplete: {name} is missing.")
        found = file_digest(path)
        if found["size"] != expected["size"]:
            raise BackupError(f"{name} has {found['size']} bytes, the manifest says {expected['size']}: "
                              "the backup was changed or damaged.")
        if found["sha256"] != expected["sha256"]:
            raise BackupError(f"{name} does not match its SHA-256 in the manifest: the backup was changed or damaged.")
