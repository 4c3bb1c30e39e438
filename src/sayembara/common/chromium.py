"""Where Debian's Chromium is and how it is started, for the browser tests and
``scripts/screenshots.py``. Nothing here imports Playwright: the application does not need it."""

from __future__ import annotations

import os
import shutil

# Flags for a headless Chromium in a container or CI runner: no sandbox (no user namespaces
# there), no GPU, and none of the browser's own network traffic.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def chromium_path() -> str | None:
    """The Chromium to drive: ``CHROMIUM_PATH``, else Debian's, else one on the PATH; None
    when there is none."""
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and os.path.exists(candidate):
            return candidate
    return None


def launch_chromium(playwright, path: str | None = None):
    """Start Chromium headless through a running Playwright (``sync_playwright()``)."""
    return playwright.chromium.launch(executable_path=path or chromium_path(), args=CHROMIUM_ARGS)
