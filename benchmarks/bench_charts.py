#!/usr/bin/env python
"""Pages with charts: how long the organiser's charts page and the public pages take.

Seeds the Mangupura Award (2023 finished and published, 2024 with stage 1 closed and stage 2
partly scored) in a scratch SQLite database (a temporary folder, removed at the end), then
requests each page with Django's test client: once on an empty cache (every chart drawn) and
``--repeat`` times more (charts read from the cache). Prints the first time, the median of the
repeats and their ratio; the baseline in the same run is the edition dashboard, a page of
similar size without charts.

Run: ``.venv/bin/python benchmarks/bench_charts.py [--repeat 5]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="sayembara-bench-charts-"))
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "sayembara.settings",
        "SAYEMBARA_DATA_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
        "TASKS_BACKEND": "immediate",
        "SECRET_KEY": "bench-charts-" + "x" * 40,
        "LOG_LEVEL": "WARNING",
    })
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(REPO / "src"))
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.cache import cache
        from django.core.management import call_command
        from django.test import Client
        from django.test.utils import setup_test_environment

        from sayembara.competitions.models import Edition
        from sayembara.demo.seed import Summary, seed_mangupura

        settings.ALLOWED_HOSTS = ["*"]
        setup_test_environment()
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        seed_mangupura(summary=Summary(), log=lambda _line: None)
        print(f"seeded Mangupura 2023 and 2024 in {time.perf_counter() - started:.1f} s")
        current = Edition.objects.get(year=2024, competition__slug="mangupura-award")
        past = Edition.objects.get(year=2023, competition__slug="mangupura-award")

        from django.contrib.auth import get_user_model

        organiser = Client()
        organiser.force_login(get_user_model().objects.get(username="penyelenggara"))
        public = Client()
        pages = [
            ("edition dashboard (baseline, no chart)", organiser,
             f"/penyelenggaraan/{current.slug}/"),
            ("charts page, Mangupura 2024", organiser, f"/publik/kelola/{current.slug}/grafik/"),
            ("charts page, Mangupura 2023", organiser, f"/publik/kelola/{past.slug}/grafik/"),
            ("public results, Mangupura 2023", public, f"/publik/{past.slug}/hasil/"),
            ("public index", public, "/publik/"),
        ]
        cache.clear()
        print(f"{'page':44} {'first':>9} {'median':>9} {'first/median':>13}")
        for label, client, url in pages:
            t0 = time.perf_counter()
            response = client.get(url)
            first = time.perf_counter() - t0
            if response.status_code != 200:
                print(f"{label}: {url} answered {response.status_code}")
                return 1
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                client.get(url)
                times.append(time.perf_counter() - t0)
            median = statistics.median(times)
            print(f"{label:44} {first * 1000:7.0f} ms {median * 1000:7.0f} ms "
                  f"{first / median:12.1f}x  ({len(response.content) // 1024} KiB)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
