"""Shared fixtures. Factories live in tests/factories.py."""

from __future__ import annotations

import os

import pytest

from sayembara.common.chromium import chromium_path as find_chromium
from sayembara.common.chromium import launch_chromium


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
    # Shared counters (rate limits, lockouts) live in the test database, rolled back with it;
    # tests of the Redis store set this themselves.
    settings.SAYEMBARA_COUNTERS_REDIS_URL = ""
    yield


def chromium_path() -> str | None:
    """Debian's Chromium, or None. Under CI a missing browser is an error, not a skip."""
    path = find_chromium()
    if path is None and os.environ.get("CI", "").lower() == "true":
        pytest.fail("CI=true but Chromium is not installed (apt-get install -y chromium).")
    return path


@pytest.fixture
def browser(monkeypatch):
    """Debian's Chromium driven by Playwright (skipped without Chromium, except under CI)."""
    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls
    # stay synchronous, so Django's async guard is lifted for browser tests only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    path = chromium_path()
    if path is None:
        pytest.skip("Chromium is not installed (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = launch_chromium(playwright, path)
        launched.policy_violations = []
        watch_every_page(launched)
        yield launched
        launched.close()
        if launched.policy_violations:
            pytest.fail("The page broke the Content-Security-Policy or raised a script error:\n"
                        + "\n".join(launched.policy_violations))


def is_policy_violation(text: str) -> bool:
    """A console error the browser writes when the Content-Security-Policy blocks something."""
    return "Content Security Policy" in text or "Content-Security-Policy" in text


def watch_console(browser, page) -> None:
    """Record policy violations and uncaught script errors of ``page`` on ``browser``; the
    ``browser`` fixture fails the test with them when it ends."""
    violations = getattr(browser, "policy_violations", None)
    if violations is None:
        return

    def on_console(message):
        if message.type == "error" and is_policy_violation(message.text):
            violations.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: violations.append(f"{page.url}: {error}"))


def watch_every_page(browser) -> None:
    """Every page of every context the test opens on ``browser`` is watched."""
    open_context, open_page = browser.new_context, browser.new_page

    def new_context(*args, **kwargs):
        context = open_context(*args, **kwargs)
        context.on("page", lambda opened: watch_console(browser, opened))
        return context

    def new_page_alone(*args, **kwargs):
        page = open_page(*args, **kwargs)
        watch_console(browser, page)
        return page

    browser.new_context, browser.new_page = new_context, new_page_alone


def new_page(browser, *, width: int = 1100, height: int = 900):
    """A fresh browser context (English, as the tests read English) and its page."""
    context = browser.new_context(locale="en-GB", viewport={"width": width, "height": height})
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def signed_in_page(browser, live_server, user, *, width: int = 1100, height: int = 900):
    """A page whose session is signed in as ``user`` (past the second step)."""
    from django.conf import settings as django_settings

    from tests.access.world import signed_in_session

    context, page = new_page(browser, width=width, height=height)
    context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME,
                          "value": signed_in_session(user), "url": live_server.url}])
    return context, page
