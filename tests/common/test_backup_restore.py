"""A backup of a demo-sized edition restores into a fresh database and file store: the
results bundle exported afterwards is byte-identical, the audit chain verifies, and every
uploaded file reads back with its checksum. Runs the real commands in separate processes,
each installation in its own data folder (SQLite, as a laptop install runs it)."""

from __future__ import annotations

import filecmp
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

SEED = """
from sayembara.demo.seed import Summary, seed_mangupura
seed_mangupura(summary=Summary(), log=lambda message: None)
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
from django.core.files.storage import default_storage
from django.db import models
from sayembara.common.services.audit import verify_chain
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
print(json.dumps({"chain_ok": report.ok, "events": report.checked, "files": files}))
"""


def _run(data: Path, *args: str, code: str | None = None, check: bool = True):
    data.mkdir(parents=True, exist_ok=True)
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE")}
    env.update({"SAYEMBARA_DATA_DIR": str(data), "TASKS_BACKEND": "immediate",
                "SECRET_KEY": "backup-test-secret-key-kept-beside-the-backup",
                "LOG_LEVEL": "WARNING"})
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


def test_backup_restores_byte_for_byte(tmp_path):
    site, fresh, backup = tmp_path / "site", tmp_path / "fresh", tmp_path / "backup"
    _run(site, "migrate", "--verbosity", "0")
    _run(site, code=SEED)
    _run(site, "backup", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["engine"] == "sqlite" and len(manifest["files"]) > 5
    _run(site, str(tmp_path / "bundle-before"), code=EXPORT)

    refused = _run(site, "restore", str(backup), check=False)
    assert refused.returncode != 0 and "--force" in refused.stderr

    restored = _run(fresh, "restore", str(backup))
    assert manifest["audit_head"]["hash"] in restored.stdout
    _run(fresh, str(tmp_path / "bundle-after"), code=EXPORT)
    before, after = tmp_path / "bundle-before", tmp_path / "bundle-after"
    names = sorted(p.relative_to(before) for p in before.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(after) for p in after.rglob("*") if p.is_file())
    match, mismatch, errors = filecmp.cmpfiles(before, after, names, shallow=False)
    assert mismatch == [] and errors == [] and len(match) == len(names) > 3

    report = json.loads(_run(fresh, str(backup / "manifest.json"),
                             code=CHECK).stdout.strip().splitlines()[-1])
    # The chain holds every event of the backup, and the export's own event after them.
    assert report["chain_ok"] and report["events"] == manifest["audit_head"]["seq"] + 1
    assert report["files"] > 0


def test_a_damaged_backup_is_refused_before_anything_is_written(tmp_path):
    site, fresh, backup = tmp_path / "site", tmp_path / "fresh", tmp_path / "backup"
    _run(site, "migrate", "--verbosity", "0")
    _run(site, "backup", str(backup))
    database = backup / "database.sqlite3"
    database.write_bytes(database.read_bytes()[:-1] + b"x")
    refused = _run(fresh, "restore", str(backup), check=False)
    assert refused.returncode != 0 and "database.sqlite3" in refused.stderr
    assert not (fresh / "uploads").exists() or not any((fresh / "uploads").iterdir())
