"""Screenshots of the demo's main pages, at desktop (1366x768) and phone (390x844) size.

    make screenshots            # writes docs/screenshots/NAME-desktop.png and NAME-phone.png

Builds the demo data if it is not there yet (in ``SAYEMBARA_DATA_DIR``, default ``./data``),
serves it with its worker on a free port, signs in through the sign-in form as the demo
account each page is for, waits for charts still being drawn, and saves every page in
Indonesian. Needs Debian's Chromium (``apt-get install chromium``) and the test dependencies
(Playwright).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
PASSWORD = "sayembara-demo"


def pages() -> list[tuple[str, str | None, str]]:
    """(file name, demo account or None, address) of each page, from the demo data."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sayembara.settings")
    django.setup()
    from django.urls import reverse

    from sayembara.competitions.models import Edition
    from sayembara.entries.models import Entry
    from sayembara.judging.models import Assignment

    badung = Edition.objects.filter(competition__name__startswith="Mangupura")
    now, past = badung.get(year=2024), badung.get(year=2023)
    first, second, _third = now.stages.order_by("order")
    seat = (Assignment.objects.filter(stage=second, judge__user__username="juri2")
            .order_by("pk").first())
    own = (Entry.objects.filter(edition=now, institution__memberships__user__username="operator")
           .order_by("pk").first())
    minut = Edition.objects.filter(ballot__isnull=False).order_by("-year").first()
    found = [
        ("01-publik", None, reverse("public:index")),
        ("02-hasil", None, reverse("public:results", args=[past.slug])),
        ("03-katalog", None, reverse("public:catalogue")),
        ("05-beranda-penyelenggara", "penyelenggara", reverse("web:home")),
        ("06-penyelenggaraan", "penyelenggara",
         reverse("web:edition_dashboard", args=[now.slug])),
        ("07-rekap-tahap", "penyelenggara",
         reverse("jury:stage_results", args=[now.slug, first.key])),
        ("08-grafik", "penyelenggara", reverse("public:charts", args=[past.slug])),
        ("09-daftar-juri", "juri2", reverse("jury:home")),
        ("11-entri-operator", "operator",
         reverse("participation:entry_detail", args=[own.pk])),
    ]
    if seat is not None:
        found.append(("10-lembar-nilai", "juri2",
                      reverse("jury:sheet", args=[second.pk, seat.entry_id])))
    if minut is not None:
        found.append(("04-suara-favorit", None, reverse("public:ballot", args=[minut.slug])))
    return sorted(found)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_served(url: str, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"The demo server stopped (exit {server.returncode}).")
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own loopback address)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"The demo server did not answer at {url} within {seconds:.0f} s.")


def chromium() -> str:
    from sayembara.common.chromium import chromium_path

    path = chromium_path()
    if path is None:
        raise SystemExit("Chromium is not installed: apt-get install -y chromium")
    return path


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/akun/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()


def shoot(base: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from sayembara.common.chromium import launch_chromium

    OUT.mkdir(parents=True, exist_ok=True)
    written, wanted = [], pages()  # the database is read before the browser's event loop runs
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright, chromium())
        for name, account, address in wanted:
            for size, (width, height) in SIZES.items():
                context = browser.new_context(locale="id-ID", viewport={
                    "width": width, "height": height})
                page = context.new_page()
                page.set_default_timeout(60_000)
                if account:
                    sign_in(page, base, account)
                page.goto(base + address)
                for _attempt in range(60):  # charts the worker is still drawing
                    if not page.query_selector("[data-chart=pending]"):
                        break
                    time.sleep(1)
                    page.reload()
                path = OUT / f"{name}-{size}.png"
                page.screenshot(path=str(path))
                written.append(path)
                context.close()
        browser.close()
    return written


def main() -> int:
    os.chdir(ROOT)
    sayembara = str(Path(sys.executable).with_name("sayembara"))
    subprocess.run([sayembara, "demo", "--no-serve"], check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen([sayembara, "demo", "--no-seed", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_served(base + "/publik/", server)
        written = shoot(base)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
