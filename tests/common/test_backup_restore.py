"""A backup of a demo-sized edition (Mangupura Award 2023: 101 entries with their
documents, three stages scored, results published, certificates made) restores into a fresh
database and file store: the results bundle exported afterwards is byte-identical, the audit
chain verifies, every uploaded file reads back and every entry document downloads with its
checksum. Runs the real commands in separate processes, each installation in its own data
folder: on SQLite, as a laptop install runs it, and on PostgreSQL (``pg_dump``/``pg_restore``)
when ``DATABASE_URL`` points there, each side in a database of its own created for the test
and dropped afterwards."""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from sayembara.settings import parse_database_url

REPO = Path(__file__).resolve().parents[2]
SERVER_URL = os.environ.get("DATABASE_URL", "")

SEED = """
from sayembara.demo.seed import Summary, seed_mangupura
seed_mangupura(summary=Summary(), log=lambda message: None, finished_only=True)
"""

EXPORT = """
import sys
from sayembara.competitions.models import Edition
from sayembara.judging.services.bundle import export_edition_bundle
edition = Edition.objects.get(slug__contains="mangupura", year=2023)
export_edition_bundle(edition=edition, out_dir=sys.argv[1], actor="test")
"""

CHECK = """
import hashlib, json, sys
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import models
from django.test import Client
from django.urls import reverse
from sayembara.common.services.audit import verify_chain
from sayembara.entries.models import EntryDocument
manifest = {e["path"]: e["sha256"] for e in json.load(open(sys.argv[1]))["files"]}
report = verify_chain()
files = 0
for model in apps.get_models():
    fields = [f.name for f in model._meta.fields if isinstance(f, models.FileField)]
    for field in fields:
        for name in model.objects.exclude(**{field: ""}).values_list(field, flat=True):
            with default_storage.open(name, "rb") as handle:
                digest = hashlib.sha256(handle.read()).hexdigest()
            assert manifest["uploads/" + name] == digest, name
            files += 1
# Every entry document as the organiser downloads it, through the permission-checked address.
browser = Client()
browser.force_login(get_user_model().objects.get(username="penyelenggara"))
downloads = 0
for document in EntryDocument.objects.all():
    response = browser.get(reverse("participation:document", args=[document.pk]) + "?unduh")
    assert response.status_code == 200, (document.pk, response.status_code)
    body = b"".join(response.streaming_content)
    assert manifest["uploads/" + document.file.name] == hashlib.sha256(body).hexdigest()
    downloads += 1
print(json.dumps({"chain_ok": report.ok, "events": report.checked, "files": files,
                  "downloads": downloads}))
"""


def _run(data: Path, *args: str, code: str | None = None, check: bool = True,
         database: str = ""):
    """Run ``sayembara ARGS`` (or ``code``) for the installation in ``data``: its SQLite
    database there, or the PostgreSQL ``database`` URL when given."""
    data.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update({"SAYEMBARA_DATA_DIR": str(data), "TASKS_BACKEND": "immediate",
                "SECRET_KEY": "backup-test-secret-key-kept-beside-the-backup",
                "LOG_LEVEL": "WARNING", "ALLOWED_HOSTS": "testserver"})
    if database:
        env["DATABASE_URL"] = database
    if code is not None:
        command = [sys.executable, "-c",
                   "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
                   "'sayembara.settings'); django.setup()\n" + code, *args]
    else:
        command = [sys.executable, "-m", "sayembara", *args]
    done = subprocess.run(command, env=env, cwd=REPO, capture_output=True, text=True,
                          timeout=900)
    if check and done.returncode != 0:
        pytest.fail(f"{' '.join(args) or 'script'} failed:\n{done.stdout}\n{done.stderr}")
    return done


def _prove_backup_restores(tmp_path: Path, engine: str, site_db: str = "",
                           fresh_db: str = "") -> None:
    site, fresh, backup = tmp_path / "site", tmp_path / "fresh", tmp_path / "backup"
    _run(site, "migrate", "--verbosity", "0", database=site_db)
    _run(site, code=SEED, database=site_db)
    _run(site, "backup", str(backup), database=site_db)
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["engine"] == engine and len(manifest["files"]) > 5
    _run(site, str(tmp_path / "bundle-before"), code=EXPORT, database=site_db)

    refused = _run(site, "restore", str(backup), check=False, database=site_db)
    assert refused.returncode != 0 and "--force" in refused.stderr

    restored = _run(fresh, "restore", str(backup), database=fresh_db)
    assert manifest["audit_head"]["hash"] in restored.stdout
    _run(fresh, str(tmp_path / "bundle-after"), code=EXPORT, database=fresh_db)
    before, after = tmp_path / "bundle-before", tmp_path / "bundle-after"
    names = sorted(p.relative_to(before) for p in before.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(after) for p in after.rglob("*") if p.is_file())
    match, mismatch, errors = filecmp.cmpfiles(before, after, names, shallow=False)
    assert mismatch == [] and errors == [] and len(match) == len(names) > 3

    report = json.loads(_run(fresh, str(backup / "manifest.json"), code=CHECK,
                             database=fresh_db).stdout.strip().splitlines()[-1])
    # The chain holds every event of the backup, and the export's own event after them.
    assert report["chain_ok"] and report["events"] == manifest["audit_head"]["seq"] + 1
    assert report["files"] > 0 and report["downloads"] > 0

    # Told to, restore replaces what the site holds (here: one export event more).
    forced = _run(site, "restore", str(backup), "--force", database=site_db)
    assert manifest["audit_head"]["hash"] in forced.stdout


@pytest.mark.skipif(SERVER_URL.startswith("postgres"),
                    reason="the suite on PostgreSQL proves the PostgreSQL backup below; the "
                           "suite on SQLite proves this one")
def test_backup_restores_byte_for_byte(tmp_path):
    _prove_backup_restores(tmp_path, "sqlite")


def _major(version_text: str) -> int:
    return int(re.search(r"(\d+)(?:\.\d+)?", version_text).group(1))


@pytest.fixture
def two_new_postgres_databases():
    """Two empty databases on the server of ``DATABASE_URL``, dropped afterwards."""
    import psycopg

    config = parse_database_url(SERVER_URL)
    server = {"host": config["HOST"] or None, "port": config["PORT"] or None,
              "user": config["USER"] or None, "password": config["PASSWORD"] or None}
    names = [f"sayembara_restore_{uuid.uuid4().hex[:12]}_{side}" for side in ("site", "fresh")]
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        server_major = admin.info.server_version // 10000
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    base = SERVER_URL.rsplit("/", 1)[0]
    try:
        yield server_major, [f"{base}/{name}" for name in names]
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.skipif(not SERVER_URL.startswith("postgres"),
                    reason="DATABASE_URL does not point at PostgreSQL")
def test_backup_restores_byte_for_byte_on_postgresql(tmp_path, two_new_postgres_databases):
    server_major, (site_db, fresh_db) = two_new_postgres_databases
    for program in ("pg_dump", "pg_restore"):
        path = shutil.which(program)
        assert path, f"{program} is not installed (apt-get install postgresql-client)."
        version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
        assert _major(version) >= server_major, (
            f"{version.strip()} cannot dump a PostgreSQL {server_major} server; install "
            f"postgresql-client-{server_major}.")
    _prove_backup_restores(tmp_path, "postgresql", site_db, fresh_db)


def test_a_damaged_backup_is_refused_before_anything_is_written(tmp_path):
    site, fresh, backup = tmp_path / "site", tmp_path / "fresh", tmp_path / "backup"
    _run(site, "migrate", "--verbosity", "0")
    _run(site, "backup", str(backup))
    database = backup / "database.sqlite3"
    database.write_bytes(database.read_bytes()[:-1] + b"x")
    refused = _run(fresh, "restore", str(backup), check=False)
    assert refused.returncode != 0 and "database.sqlite3" in refused.stderr
    assert not (fresh / "uploads").exists() or not any((fresh / "uploads").iterdir())
