"""Settings come from the environment, the same way in every mode."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from sayembara.settings import parse_database_url


def test_parse_database_url_sqlite_uses_wal_and_immediate_transactions():
    config = parse_database_url("sqlite:////var/lib/sayembara/db.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/var/lib/sayembara/db.sqlite3"
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["timeout"] == 20


def test_parse_database_url_postgres_reads_every_part():
    config = parse_database_url("postgres://juri:rah%40sia@db.example:6543/sayembara")
    assert (config["ENGINE"], config["NAME"], config["USER"], config["PASSWORD"],
            config["HOST"], config["PORT"]) == (
        "django.db.backends.postgresql", "sayembara", "juri", "rah@sia", "db.example", "6543")


def test_parse_database_url_unknown_scheme_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="sqlite:// or postgres://"):
        parse_database_url("mysql://localhost/x")


def _settings_in_subprocess(env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "import sayembara.settings as s; print(s.DEBUG, s.ALLOWED_HOSTS)"],
        env={**{k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}, **env},
        capture_output=True, text=True, timeout=60,
    )


def test_production_mode_without_secret_key_refuses_to_start(tmp_path):
    result = _settings_in_subprocess({"SAYEMBARA_PRODUCTION": "1",
                                      "SAYEMBARA_DATA_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_demo_mode_generates_and_keeps_a_secret_key(tmp_path):
    env = {"SAYEMBARA_DATA_DIR": str(tmp_path), "SAYEMBARA_PRODUCTION": "0"}
    assert _settings_in_subprocess(env).returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert _settings_in_subprocess(env).returncode == 0
    assert (tmp_path / "secret_key").read_text() == key


def test_command_line_runs_as_module_and_lists_commands(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sayembara", "help", "--commands"],
        env={**os.environ, "SAYEMBARA_DATA_DIR": str(tmp_path)},
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    for command in ("demo", "serve", "worker", "audit", "migrate"):
        assert command in result.stdout.split()


def test_file_only_commands_leave_no_data_folder(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sayembara", "template", "list"],
        cwd=tmp_path, env={k: v for k, v in os.environ.items()
                           if k not in {"SAYEMBARA_DATA_DIR", "SECRET_KEY"}},
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "mangupura-2024" in result.stdout
    assert list(tmp_path.iterdir()) == []
