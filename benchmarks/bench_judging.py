#!/usr/bin/env python
"""The judging journey at national KIPP scale, on the production server and PostgreSQL.

What it does (everything on this machine, on loopback, bounded in time):

1. creates a scratch PostgreSQL database (``--pg``, default the local server as user
   postgres, trust authentication), migrates it, and drops it at the end unless
   ``--keep-db``;
2. seeds an edition of the KIPP Minahasa Utara template at national scale: ``--entries``
   entries (3,500) in its three categories, ``--judges`` judges (30), ``--per-entry`` judges
   per entry (5) assigned by the balanced assignment service, and every sheet of the first
   stage submitted (scores drawn from quality + judge severity + noise, seeded);
3. runs the engine adapter in this process (``compute_stage_results``, bootstrap
   ``--bootstrap`` replicates) ``--close-runs`` times, then closes the stage with
   ``close_stage`` (locks every sheet, runs the engine, stores the results);
4. starts gunicorn as ``sayembara serve`` does (gthread, ``--workers`` x ``--threads``,
   SAYEMBARA_PRODUCTION=1) and requests, one at a time over a kept-alive connection, the
   judge's scoring page for random assigned entries, the judge's assignment list, and the
   organiser's stage leaderboard (every category, random pages of 100 rows);
5. prints p50 / p95 / max of each page and of the stage-closing computation.

Run: ``.venv/bin/python benchmarks/bench_judging.py`` (about two minutes).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def _line(label: str, seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (f"  {label:<44} n={len(ms):>4}  p50={statistics.median(ms):8.1f} ms  "
            f"p95={_percentile(ms, 95):8.1f} ms  max={max(ms):8.1f} ms")


def _psql(pg: str, sql: str) -> None:
    subprocess.run(["psql", pg, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True,
                   stdout=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test",
                        help="a PostgreSQL database to connect to for creating the scratch one")
    parser.add_argument("--entries", type=int, default=3500)
    parser.add_argument("--judges", type=int, default=30)
    parser.add_argument("--per-entry", type=int, default=5)
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--close-runs", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    scratch = f"bench_judging_{os.getpid()}"
    base = args.pg.rsplit("/", 1)[0]
    data_dir = tempfile.mkdtemp(prefix="bench-judging-")
    env = {
        "DATABASE_URL": f"{base}/{scratch}",
        "SAYEMBARA_DATA_DIR": data_dir,
        "SAYEMBARA_PRODUCTION": "1",
        "SAYEMBARA_BEHIND_PLAIN_HTTP": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TASKS_BACKEND": "immediate",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "DJANGO_SETTINGS_MODULE": "sayembara.settings",
    }
    os.environ.update(env)
    _psql(args.pg, f'CREATE DATABASE "{scratch}"')
    server = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        print(f"Scratch database {scratch} migrated in {time.perf_counter() - started:.1f} s")
        seeded = _seed(args)
        closing_times, breakdown = _close(args, seeded)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "sayembara.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--worker-class", "gthread",
             "--workers", str(args.workers), "--threads", str(args.threads),
             "--graceful-timeout", "5", "--log-level", "warning"],
            env={**os.environ, **env}, cwd=REPO, start_new_session=True,
        )
        _wait_for(port)
        pages = _measure_pages(args, seeded, port)
        print()
        print(f"KIPP scale: {args.entries} entries, {args.judges} judges, {args.per_entry} per "
              f"entry, {seeded['sheets']} submitted sheets ({seeded['scores']} scores); "
              f"gunicorn gthread {args.workers}x{args.threads}, PostgreSQL")
        print(f"  balanced assignment of the stage (once)       {seeded['assign']:8.2f} s")
        for label, values in pages:
            print(_line(label, values))
        print(_line(f"stage-closing computation (B={args.bootstrap})", closing_times))
        for label, seconds in breakdown:
            print(f"    {label:<42} {seconds * 1000:8.1f} ms")
        return 0
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        from django.db import connections

        connections.close_all()
        if not args.keep_db:
            _psql(args.pg, f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def _seed(args) -> dict:
    """Edition, institutions, entries, judges, balanced assignment, submitted sheets."""
    from django.utils import timezone

    from sayembara.accounts.enums import Role
    from sayembara.accounts.models import Membership, User
    from sayembara.competitions.enums import StageStatus
    from sayembara.competitions.models import Organiser
    from sayembara.competitions.services.editions import create_edition, freeze_rules
    from sayembara.entries.enums import EntryState
    from sayembara.entries.models import Entry, Institution
    from sayembara.judging.enums import JuryRole, SheetStatus
    from sayembara.judging.models import Assignment, Judge, Score, ScoreSheet
    from sayembara.judging.services.assignments import assign_balanced
    from sayembara.template_format import load_template

    rng = random.Random(args.seed)
    started = time.perf_counter()
    organiser = Organiser.objects.create(name="KemenPAN-RB", slug="kemenpan-rb")
    owner = User.objects.create_user(username="penyelenggara", email="p@example.go.id",
                                     password="bench-" + secrets.token_hex(8))
    Membership.objects.create(user=owner, role=Role.ORGANISER, organiser=organiser)
    template = load_template("kipp-minut-2024")
    edition = create_edition(template=template, year=2025, organiser=organiser, actor=owner)
    freeze_rules(edition=edition, actor=owner, cause="benchmark seed")
    stage = edition.stages.order_by("order").first()
    stage.status = StageStatus.OPEN
    stage.save(update_fields=["status"])
    categories = list(edition.categories.all())
    institutions = Institution.objects.bulk_create(
        Institution(organiser=organiser, name=f"Instansi {i:04d}", kind="perangkat_daerah",
                    email=f"instansi{i}@example.go.id") for i in range(args.entries))
    now = timezone.now()
    entries = Entry.objects.bulk_create(
        Entry(edition=edition, institution=institutions[i], category=categories[i % 3],
              code=f"K-{i + 1:05d}", title=f"Inovasi pelayanan nomor {i + 1}",
              summary="Ringkasan inovasi. " * 20, state=EntryState.IN_STAGE,
              current_stage=stage, submitted_at=now)
        for i in range(args.entries))
    users = User.objects.bulk_create(
        User(username=f"juri{j:02d}", email=f"juri{j}@example.ac.id", full_name=f"Juri {j:02d}",
             password="!") for j in range(args.judges))
    Membership.objects.bulk_create(Membership(user=u, role=Role.JUDGE, edition=edition)
                                   for u in users)
    judges = Judge.objects.bulk_create(
        Judge(edition=edition, user=u, name=u.full_name, unsur="akademisi",
              role=JuryRole.KETUA if j == 0 else JuryRole.ANGGOTA, pledge_accepted_at=now)
        for j, u in enumerate(users))
    print(f"Seeded edition, {args.entries} entries and {args.judges} judges in "
          f"{time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    report = assign_balanced(stage=stage, per_entry=args.per_entry, actor=owner,
                             seed=args.seed)
    assign_seconds = time.perf_counter() - started
    assert report.connected and not report.short_entries, report

    started = time.perf_counter()
    rubric = stage.rubric_for(categories[0].pk)
    criteria = list(rubric.criteria.order_by("order"))
    quality = {e.pk: rng.gauss(65, 12) for e in entries}
    severity = {j.pk: rng.gauss(0, 6) for j in judges}
    pairs = list(Assignment.objects.filter(stage=stage).values_list("judge_id", "entry_id"))
    sheets = ScoreSheet.objects.bulk_create(
        (ScoreSheet(stage=stage, judge_id=j, entry_id=e, status=SheetStatus.SUBMITTED,
                    submitted_at=now, version=3) for j, e in pairs), batch_size=5000)
    scores = []
    for sheet in sheets:
        base = quality[sheet.entry_id] + severity[sheet.judge_id]
        for criterion in criteria:
            value = min(100, max(0, round(base + rng.gauss(0, 8))))
            scores.append(Score(sheet_id=sheet.pk, criterion=criterion, value=Decimal(value),
                                comment=""))
    Score.objects.bulk_create(scores, batch_size=10000)
    print(f"Seeded {len(sheets)} submitted sheets ({len(scores)} scores) in "
          f"{time.perf_counter() - started:.1f} s")
    judge_pairs = [(e, s) for j, e in pairs if j == judges[1].pk for s in [stage.pk]]
    return {"edition": edition, "stage": stage, "owner": owner, "judge": judges[1],
            "judge_entries": [e for e, _s in judge_pairs], "categories": categories,
            "sheets": len(sheets), "scores": len(scores), "assign": assign_seconds}


def _close(args, seeded) -> tuple[list[float], list[tuple[str, float]]]:
    """Run the engine adapter ``--close-runs`` times, then close the stage; time each run
    and, inside it, the three parts (reading, the engine, storing)."""
    from sayembara import scoring
    from sayembara.judging.services import compute
    from sayembara.judging.services.closing import close_stage

    parts: dict[str, list[float]] = {"read": [], "engine": [], "store": []}

    def timed(name, function):
        def wrapper(*a, **k):
            started = time.perf_counter()
            try:
                return function(*a, **k)
            finally:
                parts[name].append(time.perf_counter() - started)
        return wrapper

    originals = (compute.build_inputs, scoring.evaluate, compute._store)
    compute.build_inputs = timed("read", compute.build_inputs)
    scoring.evaluate = timed("engine", scoring.evaluate)
    compute._store = timed("store", compute._store)
    stage, owner = seeded["stage"], seeded["owner"]
    times = []
    try:
        for _run in range(args.close_runs):
            started = time.perf_counter()
            compute.compute_stage_results(stage=stage, actor=owner, seed=args.seed,
                                          bootstrap=args.bootstrap)
            times.append(time.perf_counter() - started)
        started = time.perf_counter()
        close_stage(stage=stage, actor=owner, seed=args.seed, bootstrap=args.bootstrap)
        times.append(time.perf_counter() - started)
    finally:
        compute.build_inputs, scoring.evaluate, compute._store = originals
    return times, [
        ("of which: reading sheets into engine inputs", statistics.median(parts["read"])),
        ("of which: the engine (with bootstrap)", statistics.median(parts["engine"])),
        ("of which: storing results", statistics.median(parts["store"])),
    ]


def _session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from sayembara.accounts.services.security import SESSION_VERIFIED_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[SESSION_VERIFIED_KEY] = True
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _wait_for(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not start on port {port} within {timeout:.0f} s")


def _get(conn: http.client.HTTPConnection, path: str, cookie: str) -> float:
    started = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    if response.status != 200:
        raise SystemExit(f"GET {path} answered {response.status}: {body[:300]!r}")
    return elapsed


def _measure_pages(args, seeded, port: int) -> list[tuple[str, list[float]]]:
    from django.urls import reverse

    rng = random.Random(args.seed + 1)
    edition, stage = seeded["edition"], seeded["stage"]
    judge_cookie = _session_cookie(seeded["judge"].user)
    owner_cookie = _session_cookie(seeded["owner"])
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    sheet_paths = [reverse("jury:sheet", args=[stage.pk, e])
                   for e in rng.choices(seeded["judge_entries"], k=args.requests)]
    board = reverse("jury:stage_results", args=[edition.slug, stage.key])
    from sayembara.judging.selectors.board import PER_PAGE

    pages_per_category = -(-args.entries // 3 // PER_PAGE)
    board_paths = [f"{board}?kategori={rng.choice(seeded['categories']).key}"
                   f"&halaman={rng.randint(1, pages_per_category)}"
                   for _ in range(args.requests)]
    home = reverse("jury:home")
    for path in sheet_paths[:10] + board_paths[:10] + [home] * 3:  # warm both workers
        _get(conn, path, owner_cookie if path.startswith(board) else judge_cookie)
    results = [
        ("judge's scoring page", [_get(conn, p, judge_cookie) for p in sheet_paths]),
        (f"organiser's stage leaderboard ({PER_PAGE} rows a page)",
         [_get(conn, p, owner_cookie) for p in board_paths]),
        (f"judge's assignment list ({len(seeded['judge_entries'])} rows)",
         [_get(conn, home, judge_cookie) for _ in range(max(20, args.requests // 10))]),
    ]
    conn.close()
    return results


if __name__ == "__main__":
    sys.exit(main())
