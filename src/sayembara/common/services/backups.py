"""Backups that restore: the database, the uploaded files and a manifest with checksums.

``sayembara backup DIR`` writes, while the site keeps serving:

- ``database.dump``: PostgreSQL's own dump (``pg_dump --format=custom``, one consistent
  snapshot), or ``database.sqlite3``: SQLite's online backup API (a consistent copy taken
  page by page while writers go on);
- ``uploads/``: every uploaded file (``MEDIA_ROOT``), copied after the database, so every
  file the database names is there;
- ``manifest.json``: the format, the database engine, the audit chain's head at the time of
  the copy, and the SHA-256 and size of every file above.

``sayembara restore DIR`` checks every checksum first, then restores into an empty database
and an empty file store; it refuses a database or a file store that holds anything unless
``--force`` is given (then both are replaced). Secrets are not in a backup: restore under
the same ``SECRET_KEY`` (or with it in ``SECRET_KEY_FALLBACKS``) so the audit log's seals
and the certificates' check characters still verify.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, connections
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    """What is wrong, in a sentence a person can act on."""


@dataclass(frozen=True)
class Summary:
    folder: Path
    engine: str
    files: int
    bytes: int
    audit_head: str


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise BackupError(_("Backups support PostgreSQL and SQLite, not %(vendor)s.")
                          % {"vendor": vendor})
    return vendor


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore, with the password in the environment."""
    db = settings.DATABASES["default"]
    args = []
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(_("%(program)s is not installed (Debian: apt-get install "
                            "postgresql-client).") % {"program": command[0]}) from error
    if done.returncode != 0:
        raise BackupError(_("%(program)s failed: %(error)s")
                          % {"program": command[0], "error": done.stderr.strip()[:2000]})


def _empty_or_new(folder: Path) -> None:
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(_("%(folder)s is not empty; give a new or empty folder for the "
                            "backup.") % {"folder": folder})
    folder.mkdir(parents=True, exist_ok=True)


def backup(folder: Path | str) -> Summary:
    """Write a backup into ``folder`` (new or empty)."""
    from sayembara.common.services.audit import current_head

    folder = Path(folder)
    engine = _engine()
    _empty_or_new(folder)
    head = current_head()
    if engine == "postgresql":
        args, env = _pg_env()
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args,
              "--file", str(folder / PG_DUMP), settings.DATABASES["default"]["NAME"]], env)
        database = PG_DUMP
    else:
        connection.ensure_connection()
        target = sqlite3.connect(folder / SQLITE_COPY)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
        database = SQLITE_COPY
    media = Path(settings.MEDIA_ROOT)
    entries = [_entry(folder, folder / database)]
    if media.exists():
        for source in sorted(p for p in media.rglob("*") if p.is_file()):
            relative = source.relative_to(media)
            if relative.parts[0].startswith("."):
                continue
            target = folder / UPLOADS / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            entries.append(_entry(folder, target))
    manifest = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "database": database,
        "audit_head": {"seq": head.seq, "hash": head.hash},
        "files": entries,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return Summary(folder=folder, engine=engine, files=len(entries) - 1,
                   bytes=sum(e["size"] for e in entries), audit_head=f"{head.seq}:{head.hash}")


def _entry(folder: Path, path: Path) -> dict[str, Any]:
    return {"path": path.relative_to(folder).as_posix(), "size": path.stat().st_size,
            "sha256": sha256_file(path)}


def read_manifest(folder: Path | str) -> dict[str, Any]:
    """The manifest, after checking every file it lists against its checksum."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError as error:
        raise BackupError(_("%(folder)s holds no %(manifest)s; it is not a Sayembara backup.")
                          % {"folder": folder, "manifest": MANIFEST}) from error
    if manifest.get("format") != FORMAT:
        raise BackupError(_("%(folder)s: the backup format %(format)s is not known.")
                          % {"folder": folder, "format": manifest.get("format")})
    for entry in manifest["files"]:
        path = folder / entry["path"]
        if not path.is_file():
            raise BackupError(_("%(path)s is missing from the backup.") % {"path": entry["path"]})
        if path.stat().st_size != entry["size"] or sha256_file(path) != entry["sha256"]:
            raise BackupError(_("%(path)s does not match its checksum: the backup is damaged.")
                              % {"path": entry["path"]})
    return manifest


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return not tables


def _files_are_empty() -> bool:
    media = Path(settings.MEDIA_ROOT)
    return not media.exists() or not any(media.iterdir())


def restore(folder: Path | str, *, force: bool = False) -> Summary:
    """Restore the backup in ``folder`` into this installation's database and file store."""
    from sayembara.common.services.audit import current_head

    folder = Path(folder)
    manifest = read_manifest(folder)
    engine = _engine()
    if manifest["engine"] != engine:
        raise BackupError(_("The backup is of a %(theirs)s database; this installation uses "
                            "%(ours)s. Restore it with the same engine.")
                          % {"theirs": manifest["engine"], "ours": engine})
    if not force and not (_database_is_empty() and _files_are_empty()):
        raise BackupError(_("The database or the uploaded files folder is not empty; restore "
                            "into a new database and folder, or add --force to replace them."))
    if engine == "postgresql":
        args, env = _pg_env()
        connections.close_all()
        if force and not _database_is_empty():
            _drop_all_postgres()
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *args,
              "--dbname", settings.DATABASES["default"]["NAME"], str(folder / PG_DUMP)], env)
    else:
        connection.ensure_connection()
        source = sqlite3.connect(folder / SQLITE_COPY)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    media = Path(settings.MEDIA_ROOT)
    if force and media.exists():
        shutil.rmtree(media)
    media.mkdir(parents=True, exist_ok=True)
    count = size = 0
    for entry in manifest["files"]:
        if not entry["path"].startswith(UPLOADS + "/"):
            continue
        target = media / entry["path"][len(UPLOADS) + 1:]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(folder / entry["path"], target)
        count, size = count + 1, size + entry["size"]
    connections.close_all()
    head = current_head()
    wanted = manifest["audit_head"]
    if (head.seq, head.hash) != (wanted["seq"], wanted["hash"]):
        raise BackupError(_("After the restore the audit chain's head is %(found)s, not "
                            "%(wanted)s as in the manifest.")
                          % {"found": f"{head.seq}:{head.hash}",
                             "wanted": f"{wanted['seq']}:{wanted['hash']}"})
    return Summary(folder=folder, engine=engine, files=count, bytes=size,
                   audit_head=f"{head.seq}:{head.hash}")


def _drop_all_postgres() -> None:
    """Empty the current schema (``restore --force`` on PostgreSQL)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    connections.close_all()
