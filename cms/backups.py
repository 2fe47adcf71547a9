"""Backups of the whole site: the database, dumped by the engine's own tool, and every file of
every storage (public media and private files), in one archive that ``restore`` puts back.

The archive is a gzipped tar:

- ``manifest.json``: format, creation time, database engine, the migrations applied, and for
  each storage alias the names, sizes and SHA-256 digests of its files;
- ``database/postgresql.dump`` (``pg_dump --format=custom``) or ``database/sqlite3.db`` (a
  consistent copy made with SQLite's online backup API, safe while the site runs);
- ``files/<storage alias>/<name>``: each file, read and written through Django's storage API,
  so local disks and S3-compatible object storage are backed up the same way.

Static files are not backed up: ``collectstatic`` rebuilds them from the code.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, storages
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

ARCHIVE_FORMAT = 1
MANIFEST = "manifest.json"
POSTGRESQL_DUMP = "database/postgresql.dump"
SQLITE_COPY = "database/sqlite3.db"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The archive cannot be made or restored; the message says why, for the operator."""


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    engine: str
    files: int
    file_bytes: int
    migrations: int


def backed_up_storage_aliases() -> list[str]:
    """Every configured storage except the static files, which the code rebuilds."""
    return [alias for alias in settings.STORAGES if alias != "staticfiles"]


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(f"Backups support PostgreSQL and SQLite, not {vendor}.")
    return vendor


def _storage_files(storage: Storage, directory: str = "") -> list[str]:
    """Every file name in ``storage`` below ``directory``, depth first, sorted."""
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:  # a local storage whose folder was never created
        return []
    prefix = f"{directory}/" if directory else ""
    names = [prefix + name for name in sorted(files)]
    for name in sorted(directories):
        names.extend(_storage_files(storage, prefix + name))
    return names


def _digest(fileobj) -> tuple[str, int]:
    sha, size = hashlib.sha256(), 0
    while chunk := fileobj.read(CHUNK):
        sha.update(chunk)
        size += len(chunk)
    return sha.hexdigest(), size


def _postgresql_environment() -> dict[str, str]:
    """libpq's environment for pg_dump and pg_restore: the password never appears in the
    process list."""
    database = settings.DATABASES["default"]
    environment = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        value = database.get(key)
        if value:
            environment[variable] = str(value)
    options = database.get("OPTIONS", {})
    if options.get("sslmode"):
        environment["PGSSLMODE"] = str(options["sslmode"])
    # During tests the connection's NAME is the test database's.
    environment["PGDATABASE"] = connection.settings_dict["NAME"]
    return environment


def _program(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def _run(arguments: list[str]) -> None:
    result = subprocess.run(  # noqa: S603  (fixed program, arguments we build)
        arguments, env=_postgresql_environment(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(arguments[0]).name} failed: {result.stderr.strip()}")


def _dump_database(engine: str, target: Path) -> None:
    if engine == "postgresql":
        _run(
            [
                _program("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(target),
            ]
        )
        return
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()


def _load_database(engine: str, source: Path) -> None:
    if engine == "postgresql":
        connection.close()  # no open transaction of ours may hold a lock on a table
        _run(
            [
                _program("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--dbname",
                connection.settings_dict["NAME"],
                str(source),
            ]
        )
        return
    connection.ensure_connection()
    copy = sqlite3.connect(source)
    try:
        copy.backup(connection.connection)
    finally:
        copy.close()


def _applied_migrations() -> list[list[str]]:
    recorder = MigrationRecorder(connection)
    return sorted([app, name] for app, name in recorder.applied_migrations())


def backup_create(*, output: Path) -> BackupSummary:
    """Write the database and every stored file to the archive ``output``."""
    engine = _engine()
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    manifest = {
        "format": ARCHIVE_FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "engine": engine,
        "migrations": _applied_migrations(),
        "storages": {},
    }
    files = file_bytes = 0
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory(prefix="tvc-backup-") as scratch:
        dump = Path(scratch) / "database"
        _dump_database(engine, dump)
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(dump, arcname=POSTGRESQL_DUMP if engine == "postgresql" else SQLITE_COPY)
            for alias in backed_up_storage_aliases():
                storage = storages[alias]
                listed = []
                for name in _storage_files(storage):
                    with storage.open(name, "rb") as fileobj:
                        digest, size = _digest(fileobj)
                        fileobj.seek(0)
                        member = tarfile.TarInfo(f"files/{alias}/{name}")
                        member.size = size
                        archive.addfile(member, fileobj)
                    listed.append({"name": name, "size": size, "sha256": digest})
                    files += 1
                    file_bytes += size
                manifest["storages"][alias] = listed
            encoded = json.dumps(manifest, indent=2).encode()
            member = tarfile.TarInfo(MANIFEST)
            member.size = len(encoded)
            archive.addfile(member, io.BytesIO(encoded))
    partial.replace(output)  # an interrupted backup never looks like a complete one
    return BackupSummary(output, engine, files, file_bytes, len(manifest["migrations"]))


def _safe_name(name: str) -> str:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts:
        raise BackupError(f"The archive holds a file with an unsafe name: {name!r}.")
    return name


def _check_manifest(manifest: dict, engine: str) -> None:
    if manifest.get("format") != ARCHIVE_FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    if manifest["engine"] != engine:
        raise BackupError(
            f"The backup is of a {manifest['engine']} database; this site uses {engine}."
        )
    for alias in manifest["storages"]:
        if alias not in settings.STORAGES:
            raise BackupError(f"The archive has files of an unknown storage {alias!r}.")
    # Refuse an archive made by newer code: its tables would not match this code.
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [f"{app}.{name}" for app, name in manifest["migrations"] if (app, name) not in known]
    if unknown:
        raise BackupError(
            "The backup was made by a newer version of the site (unknown migrations: "
            + ", ".join(unknown[:5])
            + "). Restore it with that version."
        )


def _members(archive_path: Path):
    """The archive's regular files in order, read as a stream: one pass, however many files."""
    try:
        with tarfile.open(archive_path, "r|gz") as archive:
            for member in archive:
                if member.isfile():
                    yield member.name, archive.extractfile(member)
    except (OSError, tarfile.TarError, EOFError) as error:
        raise BackupError(f"Cannot read {archive_path}: {error}") from error


def backup_restore(*, archive_path: Path) -> BackupSummary:
    """Put the database and the files of the archive back. The database is replaced as a
    whole (in one transaction on PostgreSQL); each file of the archive is written again,
    files made since the backup are left where they are. The whole archive is checked
    before anything changes, so a damaged one changes nothing."""
    engine = _engine()
    with tempfile.TemporaryDirectory(prefix="tvc-restore-") as scratch:
        dump = Path(scratch) / "database"
        manifest, digests = None, {}
        for name, fileobj in _members(archive_path):
            if name == MANIFEST:
                try:
                    manifest = json.load(fileobj)
                except ValueError as error:
                    raise BackupError("The archive's manifest is damaged.") from error
            elif name in (POSTGRESQL_DUMP, SQLITE_COPY):
                with dump.open("wb") as target:
                    shutil.copyfileobj(fileobj, target, CHUNK)
            else:
                digests[name] = _digest(fileobj)
        if manifest is None:
            raise BackupError("This is not a backup of the Virtual Centre (no manifest).")
        _check_manifest(manifest, engine)
        if not dump.exists():
            raise BackupError("The archive holds no database dump.")
        expected = {}
        for alias, listed in manifest["storages"].items():
            for entry in listed:
                name = f"files/{alias}/{_safe_name(entry['name'])}"
                expected[name] = (entry["sha256"], entry["size"])
        damaged = sorted(name for name, value in expected.items() if digests.get(name) != value)
        if damaged:
            raise BackupError(f"Damaged or missing in the archive: {', '.join(damaged[:5])}.")

        _load_database(engine, dump)
        files = file_bytes = 0
        for name, fileobj in _members(archive_path):
            if name not in expected:
                continue
            _, alias, stored_name = name.split("/", 2)
            storage = storages[alias]
            if storage.exists(stored_name):
                storage.delete(stored_name)
            # A seekable copy: storages (S3's among them) seek and ask for the size.
            with tempfile.SpooledTemporaryFile(max_size=8 * CHUNK) as copy:
                shutil.copyfileobj(fileobj, copy, CHUNK)
                copy.seek(0)
                saved = storage.save(stored_name, File(copy, name=stored_name))
            if saved != stored_name:
                raise BackupError(f"{stored_name} was stored as {saved}.")
            files += 1
            file_bytes += expected[name][1]
    return BackupSummary(Path(archive_path), engine, files, file_bytes, len(manifest["migrations"]))


def unapplied_migrations() -> int:
    """How many of the code's migrations the restored database has not applied yet."""
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    return len(set(loader.disk_migrations) - set(loader.applied_migrations))
