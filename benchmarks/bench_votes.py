#!/usr/bin/env python
"""Favourite-vote throughput against a bare INSERT view, on the production server.

What it does (everything on this machine, on loopback, bounded in time):

1. creates a scratch PostgreSQL database (``--pg``, default the local server as user
   postgres) and migrates it; it is dropped at the end unless ``--keep-db``;
2. writes a settings module and a URLconf into a temporary folder: the project's settings
   and URLs plus ``/_bench/insert/``, a bare view that only INSERTs one row. The bare view
   exists only inside this benchmark, never in a normal deployment;
3. seeds a published edition (Mangupura template: three categories, ten finalists each),
   an open favourite vote and verified voters, and prepares one request per vote: the
   voter's signed cookie and a solved ALTCHA proof-of-work challenge (at ``--pow-bits`` so that
   preparing is quick; the server's check is one hash whatever the difficulty);
4. starts gunicorn (gthread, as ``sayembara serve`` does) and drives it with ``wrk``
   (Debian package) at ``--connections`` connections in ``--rounds`` alternating rounds of
   the bare view and the votes, ``--duration`` seconds each, and reports medians (a shared
   machine is noisy; alternating keeps both under the same conditions) together with the
   CPU each request cost the server processes and the PostgreSQL backends;
5. runs the votes once more with fewer prepared votes than the server can take in the
   time, so that every vote is answered before wrk stops, and checks that the stored votes
   equal the accepted (201) answers, with no duplicate (voter, category) anywhere; then
   sends ``--connections`` simultaneous attempts by ONE voter in one category and checks
   that exactly one is stored;
6. prints throughput, p50/p99 latency, CPU per request and the ratio to the bare view.

Run: ``.venv/bin/python benchmarks/bench_votes.py`` (needs ``wrk``: apt-get install wrk).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from vote_runs import (  # noqa: E402
    by_status,
    free_port,
    log,
    machine_line,
    run_wrk,
    stored_votes,
    wait_http,
)

SETTINGS_MODULE = """
from sayembara.settings import *  # noqa: F401,F403

ROOT_URLCONF = "bench_votes_urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
VOTING_POW_BITS = {bits}
LOGGING = {{"version": 1, "disable_existing_loggers": False,
           "root": {{"handlers": [], "level": "WARNING"}}}}
{cache}
"""

URLS_MODULE = """
from django.db import connection
from django.http import JsonResponse
from django.urls import path

from sayembara.urls import urlpatterns as project_urlpatterns


def bare_insert(request):
    \"\"\"The baseline: parse the form, INSERT one row, answer JSON (same middleware).\"\"\"
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_bare (voter, entry) VALUES (%s, %s)",
            [int(request.POST.get("voter", 0)), int(request.POST.get("entry", 0))],
        )
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [path("_bench/insert/", bare_insert)] + project_urlpatterns
"""

# wrk: one prepared request per line ("cookie|body"), status codes counted per thread.
VOTE_LUA = """
local lines, idx, path, csrf = {}, 0, "%(path)s", "%(csrf)s"
c200, c201, c409, c429, cother, exhausted = 0, 0, 0, 0, 0, 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args)
  for line in io.lines("%(file)s") do table.insert(lines, line) end
end
function request()
  idx = idx + 1
  local line = lines[idx]
  if line == nil then
    exhausted = exhausted + 1
    return wrk.format("GET", "/publik/tantangan/?purpose=vote")
  end
  local sep = string.find(line, "|", 1, true)
  local headers = {
    ["Cookie"] = "csrftoken=" .. csrf .. "; sayembara_voter=" .. string.sub(line, 1, sep - 1),
    ["X-CSRFToken"] = csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Accept"] = "application/json",
  }
  return wrk.format("POST", path, headers, string.sub(line, sep + 1))
end
function response(status, headers, body)
  if status == 200 then c200 = c200 + 1
  elseif status == 201 then c201 = c201 + 1
  elseif status == 409 then c409 = c409 + 1
  elseif status == 429 then c429 = c429 + 1
  else cother = cother + 1 end
end
function done(summary, latency, requests)
  local t = {c200 = 0, c201 = 0, c409 = 0, c429 = 0, cother = 0, exhausted = 0}
  for _, thread in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + thread:get(k) end
  end
  io.write(string.format(
    "RESULT {\\"requests\\": %%d, \\"duration_us\\": %%d, \\"p50_us\\": %%d, \\"p99_us\\": %%d, " ..
    "\\"errors\\": %%d, \\"c200\\": %%d, \\"c201\\": %%d, \\"c409\\": %%d, " ..
    "\\"c429\\": %%d, \\"other\\": %%d, " ..
    "\\"exhausted\\": %%d}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write +
    summary.errors.status + summary.errors.timeout,
    t.c200, t.c201, t.c409, t.c429, t.cother, t.exhausted))
end
"""

BARE_LUA = """
local n, csrf = 0, "%(csrf)s"
c200, c201, c409, c429, cother, exhausted = 0, 0, 0, 0, 0, 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function request()
  n = n + 1
  local headers = {
    ["Cookie"] = "csrftoken=" .. csrf, ["X-CSRFToken"] = csrf,
    ["Content-Type"] = "application/x-www-form-urlencoded", ["Accept"] = "application/json",
  }
  return wrk.format("POST", "/_bench/insert/", headers, "voter=" .. n .. "&entry=" .. (n %% 30))
end
""" + VOTE_LUA[VOTE_LUA.index("function response"):]


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(server_pid: int, dbname: str) -> dict[str, float]:
    """CPU seconds used so far by the gunicorn workers and by our PostgreSQL backends."""
    workers = 0.0
    children = Path(f"/proc/{server_pid}/task/{server_pid}/children")
    for child in children.read_text().split() if children.exists() else []:
        workers += _cpu_seconds(int(child))
    backends = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if cmdline.startswith(b"postgres:") and dbname.encode() in cmdline:
            backends += _cpu_seconds(int(entry.name))
    return {"server": workers, "postgres": backends}


def pg_admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, dbname="postgres", autocommit=True) as conn:
        conn.execute(statement)


def seed(*, voters: int, entries_per_category: int):
    """A published edition with an open ballot and verified voters (returns the ids)."""
    import datetime as dt

    from django.utils import timezone

    from sayembara.competitions.models import Organiser
    from sayembara.competitions.services.editions import create_edition
    from sayembara.entries.models import Entry, Institution
    from sayembara.template_format import load_template
    from sayembara.voting.models import Voter
    from sayembara.voting.services.ballots import create_ballot

    organiser = Organiser.objects.create(name="BRIDA Benchmark", slug="brida-benchmark",
                                         timezone="WITA")
    edition = create_edition(template=load_template("mangupura-2024"), year=2024,
                             organiser=organiser, actor="bench")
    edition.status = "published"
    edition.save(update_fields=["status"])
    entries = []
    for category in edition.categories.order_by("order"):
        for n in range(entries_per_category):
            institution = Institution.objects.create(
                organiser=organiser, name=f"{category.name} {n}",
                kind=(category.institution_types or ["perangkat_daerah"])[0])
            entries.append(Entry(edition=edition, institution=institution, category=category,
                                 code=f"{category.key[:3]}-{n:03d}", title=f"Inovasi {n}",
                                 state="finalist"))
    Entry.objects.bulk_create(entries)
    now = timezone.now()
    ballot = create_ballot(edition=edition, actor="bench", entries=entries, name="Terfavorit",
                           opens_at=now - dt.timedelta(hours=1),
                           closes_at=now + dt.timedelta(days=1),
                           votes_per_ip_per_hour=10**8, votes_per_voter_per_minute=10)
    Voter.objects.bulk_create(
        (Voter(address=f"warga{n}@contoh{n % 50}.id", domain=f"contoh{n % 50}.id",
               verified_at=now) for n in range(voters)),
        batch_size=5000,
    )
    by_category: dict[int, list[int]] = {}
    for entry in Entry.objects.filter(edition=edition).order_by("pk"):
        by_category.setdefault(entry.category_id, []).append(entry.pk)
    return edition, ballot, list(Voter.objects.order_by("pk").values_list("pk", flat=True)), \
        by_category


def prepare_votes(*, voter_ids, by_category, count: int, path: Path) -> int:
    """One line per vote: signed voter cookie and the form body with a solved challenge."""
    from sayembara.voting.models import Voter
    from sayembara.voting.services import pow
    from sayembara.voting.services.voters import voter_token

    categories = list(by_category)
    lines = []
    for n in range(count):
        voter_id = voter_ids[n // len(categories) % len(voter_ids)]
        category = categories[n % len(categories)]
        entry = by_category[category][(n * 7 + voter_id) % len(by_category[category])]
        found = pow.issue_challenge(purpose="vote")
        body = urlencode({"entry": entry, pow.FIELD: pow.solve(found)})
        lines.append(f"{voter_token(Voter(pk=voter_id))}|{body}")
    path.write_text("\n".join(lines) + "\n")
    return len(lines)


def one_voter_race(*, port: int, slug: str, csrf: str, voter_id: int, entries: list[int],
                   attempts: int) -> dict[str, int]:
    """``attempts`` simultaneous votes by one voter in one category (distinct challenges)."""
    from sayembara.voting.models import Voter
    from sayembara.voting.services import pow
    from sayembara.voting.services.voters import voter_token

    cookie = f"csrftoken={csrf}; sayembara_voter={voter_token(Voter(pk=voter_id))}"
    bodies = []
    for n in range(attempts):
        found = pow.issue_challenge(purpose="vote")
        bodies.append(urlencode({"entry": entries[n % len(entries)],
                                 pow.FIELD: pow.solve(found)}))
    connections = [http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                   for _ in range(attempts)]
    for conn in connections:
        conn.connect()
    barrier = threading.Barrier(attempts)
    statuses: list[int] = []
    lock = threading.Lock()

    def attempt(conn, body):
        barrier.wait()
        conn.request("POST", f"/publik/{slug}/suara/pilih/", body=body, headers={
            "Cookie": cookie, "X-CSRFToken": csrf, "Accept": "application/json",
            "Content-Type": "application/x-www-form-urlencoded"})
        status = conn.getresponse().status
        with lock:
            statuses.append(status)

    workers = [threading.Thread(target=attempt, args=(c, b))
               for c, b in zip(connections, bodies, strict=True)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return by_status(statuses)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432/postgres",
                        help="PostgreSQL server (a scratch database is created there)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", type=int, default=8, help="seconds per measurement")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating rounds of the bare view and the votes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--wrk-threads", type=int, default=1)
    parser.add_argument("--votes", type=int, default=45000,
                        help="prepared vote requests, shared by the rounds")
    parser.add_argument("--pow-bits", type=int, default=8)
    parser.add_argument("--redis", default="", help="REDIS_URL for a shared cache (optional)")
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed; install it with: apt-get install -y wrk", file=sys.stderr)
        return 2

    folder = Path(tempfile.mkdtemp(prefix="sayembara-bench-votes-"))
    dbname = f"sayembara_bench_votes_{os.getpid()}"
    pg = urlsplit(args.pg)
    database_url = f"{pg.scheme}://{pg.netloc}/{dbname}?conn_max_age=600"
    cache = ""
    if args.redis:
        cache = textwrap.dedent(f"""
            CACHES = {{"default": {{"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": {args.redis!r},
                                   "KEY_PREFIX": "bench-{os.getpid()}"}}}}
            SAYEMBARA_COUNTERS_REDIS_URL = {args.redis!r}
        """)
    else:
        cache = 'SAYEMBARA_COUNTERS_REDIS_URL = ""\n'
    (folder / "bench_votes_settings.py").write_text(
        SETTINGS_MODULE.format(bits=args.pow_bits, cache=cache))
    (folder / "bench_votes_urls.py").write_text(URLS_MODULE)
    env = dict(os.environ)
    env.update({
        "DJANGO_SETTINGS_MODULE": "bench_votes_settings",
        "PYTHONPATH": os.pathsep.join([str(folder), str(REPO / "src"),
                                       env.get("PYTHONPATH", "")]),
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_urlsafe(40),
        "SAYEMBARA_DATA_DIR": str(folder / "data"),
        "TASKS_BACKEND": "immediate",
    })
    env.pop("REDIS_URL", None)
    os.environ.update(env)
    sys.path.insert(0, str(folder))

    log(f"Creating the scratch database {dbname}.")
    pg_admin(args.pg, f'CREATE DATABASE "{dbname}"')
    server = None
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection

        started = time.monotonic()
        call_command("migrate", verbosity=0)
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_bare (id bigserial PRIMARY KEY, voter integer "
                           "NOT NULL, entry integer NOT NULL, created_at timestamptz NOT NULL "
                           "DEFAULT now())")
        voters_needed = 2 * (args.votes // 3) + 3 * args.rounds + args.connections + 10
        edition, ballot, voter_ids, by_category = seed(voters=voters_needed,
                                                       entries_per_category=10)
        race_voter = voter_ids[-1]
        half = (len(voter_ids) - 1) // 2
        throughput_voters, exact_voters = voter_ids[:half], voter_ids[half:-1]
        per_round = args.votes // args.rounds
        round_files = []
        for number in range(args.rounds):
            path = folder / f"votes-{number}.txt"
            prepare_votes(voter_ids=throughput_voters[number * (per_round // 3 + 1):],
                          by_category=by_category, count=per_round, path=path)
            round_files.append(path)
        prepared = per_round * args.rounds
        log(f"Migrated, seeded {len(voter_ids)} verified voters and prepared {prepared} votes "
            f"in {time.monotonic() - started:.1f} s.")
        connection.close()

        port = free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "sayembara.wsgi:application",
             "--bind", f"127.0.0.1:{port}", "--worker-class", "gthread",
             "--workers", str(args.workers), "--threads", str(args.threads),
             "--backlog", "2048", "--graceful-timeout", "5"],
            env=env, cwd=folder, start_new_session=True,
        )
        wait_http(port, "/publik/tantangan/?purpose=vote", timeout=30)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", f"/publik/{edition.slug}/suara/")
        response = conn.getresponse()
        response.read()
        csrf = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)

        common = {"port": port, "connections": args.connections, "threads": args.wrk_threads,
                  "folder": folder, "cpu": lambda: cpu_snapshot(server.pid, dbname)}
        bare_script = BARE_LUA % {"csrf": csrf}
        vote_path = f"/publik/{edition.slug}/suara/pilih/"
        log("Warming up (3 s of the bare view).")
        run_wrk(script=bare_script, duration=3, name="warm", **common)
        log(f"Measuring {args.rounds} rounds of bare INSERT then votes ({args.duration} s each, "
            f"{args.connections} connections).")
        bare_runs, vote_runs = [], []
        for number, path in enumerate(round_files):
            bare_runs.append(run_wrk(script=bare_script, duration=args.duration,
                                     name=f"bare{number}", **common))
            vote_runs.append(run_wrk(script=VOTE_LUA % {"path": vote_path, "csrf": csrf,
                                                        "file": path},
                                     duration=args.duration, name=f"votes{number}", **common))
        votes = {key: sum(r[key] for r in vote_runs) for key in ("c201", "exhausted")}
        from sayembara.voting.models import Vote

        time.sleep(1)  # requests still in flight when wrk stopped finish on the server
        stored_throughput = Vote.objects.filter(ballot=ballot).count()

        # Exact accounting: fewer prepared votes than the server can take in the time, so
        # every vote is answered before wrk stops (the rest of the run asks for challenges).
        median_vote_rps = sorted(r["rps"] for r in vote_runs)[len(vote_runs) // 2]
        exact_count = max(100, int(median_vote_rps * args.duration * 0.5))
        exact_file = folder / "votes-exact.txt"
        prepare_votes(voter_ids=exact_voters, by_category=by_category, count=exact_count,
                      path=exact_file)
        exact = run_wrk(script=VOTE_LUA % {"path": vote_path, "csrf": csrf, "file": exact_file},
                        duration=args.duration, name="exact", **common)
        stored_exact = Vote.objects.filter(ballot=ballot).count() - stored_throughput
        _stored, duplicate_count = stored_votes(ballot.pk)
        category = next(iter(by_category))
        race = one_voter_race(port=port, slug=edition.slug, csrf=csrf, voter_id=race_voter,
                              entries=by_category[category], attempts=args.connections)
        race_stored = Vote.objects.filter(ballot=ballot, voter_id=race_voter).count()
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: BLE001 - closing before the drop, best effort
            pass
        if not args.keep_db:
            pg_admin(args.pg, f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
            log(f"Dropped the scratch database {dbname}.")
        shutil.rmtree(folder, ignore_errors=True)

    def median(values):
        ordered = sorted(values)
        return ordered[len(ordered) // 2]

    print()
    print(machine_line())
    print(f"server: gunicorn gthread, {args.workers} workers x {args.threads} threads; "
          f"PostgreSQL; cache: {'Redis' if args.redis else 'per-process memory'}; "
          f"shared counters (limits, spent challenges): "
          f"{'Redis' if args.redis else 'PostgreSQL (UNLOGGED table)'}; "
          f"{args.connections} connections; proof of work prepared at {args.pow_bits} bits")
    print(f"{'run':<16}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'201':>8}{'409':>6}{'429':>6}"
          f"{'other':>7}{'sock err':>9}{'cpu ms/req: server':>20}{'postgres':>10}")
    rows = []
    for number, (b_run, v_run) in enumerate(zip(bare_runs, vote_runs, strict=True), start=1):
        rows += [(f"bare INSERT {number}", b_run), (f"votes {number}", v_run)]
    rows.append(("votes (exact)", exact))
    for name, r in rows:
        print(f"{name:<16}{r['rps']:>10.0f}{r['p50_us'] / 1000:>9.1f}"
              f"{r['p99_us'] / 1000:>9.1f}{r['c201']:>8}{r['c409']:>6}{r['c429']:>6}"
              f"{r['other']:>7}{r['errors']:>9}{r.get('cpu_server_ms', 0):>20.2f}"
              f"{r.get('cpu_postgres_ms', 0):>10.2f}")
    bare_rps = median(r["rps"] for r in bare_runs)
    vote_rps = median(r["rps"] for r in vote_runs)
    ratios = [v["rps"] / b["rps"] for b, v in zip(bare_runs, vote_runs, strict=True)]
    cpu_bare = median(r["cpu_server_ms"] + r["cpu_postgres_ms"] for r in bare_runs)
    cpu_vote = median(r["cpu_server_ms"] + r["cpu_postgres_ms"] for r in vote_runs)
    print(f"median votes/s {vote_rps:.0f} (all accepted) vs bare INSERT {bare_rps:.0f}: "
          f"{vote_rps / bare_rps:.0%}; per round: {', '.join(f'{x:.0%}' for x in ratios)}; "
          f"p99 of votes (median of rounds): "
          f"{median(r['p99_us'] for r in vote_runs) / 1000:.0f} ms")
    print(f"CPU per request (server + PostgreSQL backends): vote {cpu_vote:.2f} ms, bare "
          f"{cpu_bare:.2f} ms: the vote costs {cpu_vote / cpu_bare:.2f} x the bare INSERT")
    stored_rounds = stored_throughput
    print(f"throughput rounds: {votes['c201']} accepted answers read, {stored_rounds} stored "
          f"({stored_rounds - votes['c201']} were in flight when the generator stopped a round)")
    answered = exact["c201"] + exact["c409"] + exact["c429"]
    print(f"exact run: {exact_count} votes prepared, {answered} answered (wrk builds one request "
          f"per thread before starting and never sends it), {exact['c201']} accepted, "
          f"{stored_exact} stored: "
          f"{'equal' if exact['c201'] == stored_exact == answered else 'DIFFERENT'}; "
          f"duplicate (voter, category) pairs over all runs: {duplicate_count}")
    print(f"{args.connections} simultaneous attempts by one voter: answers {race}, "
          f"stored {race_stored}")
    ok = (exact["c201"] == stored_exact == answered
          and answered >= exact_count - args.wrk_threads and duplicate_count == 0
          and race_stored == 1 and votes["exhausted"] == 0
          and 0 <= stored_throughput - votes["c201"] <= args.connections * args.rounds)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
