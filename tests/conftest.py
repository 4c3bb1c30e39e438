"""Shared fixtures. Factories live in tests/factories.py."""

from __future__ import annotations

import os
import shutil

import pytest


@pytest.fixture(autouse=True)
def _isolated_files_and_tasks(settings, tmp_path):
    """Uploads go to a temporary folder; background tasks run at once in tests, so a test
    sees the e-mail a task sends (the database-backed worker has its own test)."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests read the English source strings; Indonesian, the real default, is checked by
    # tests/common/test_language.py and tests/test_translations.py, which set it back.
    settings.LANGUAGE_CODE = "en"
    yield


def chromium_path() -> str | None:
    """Debian's Chromium, or None. Under CI a missing browser is an error, not a skip."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.path.exists(candidate):
            return candidate
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI=true but Chromium is not installed (apt-get install -y chromium).")
    return None
