#!/usr/bin/env python
"""Two `sayembara serve` processes behind nginx, a worker, PostgreSQL and Redis, on loopback:
the favourite vote through the balancer against one process driven directly, then the
failure drills.

Everything runs on this machine, bounded in time, in a scratch folder, with its own
PostgreSQL cluster (initdb, on a free port) and its own Redis, so restarting or stopping
them disturbs nobody else:

1. starts PostgreSQL and Redis, migrates, seeds a published edition with an open favourite
   vote and verified voters, and prepares one vote request per line (as bench_votes.py);
2. starts two `sayembara serve --no-migrate` processes in production mode (every setting a
   deployment needs, checked by `check --deploy` at start), one `sayembara worker`, and nginx
   (Debian's package) with deploy/nginx's upstream settings in front of the two processes;
3. drives the vote with wrk in alternating rounds: one process directly, then the balancer;
   reports accepted votes per second (201 answers) and the ratio, and checks that the
   stored votes equal the 201 answers with no (voter, unit) stored twice;
4. drills, each with a threaded client that records every answer:
   - kill: one server process (gunicorn master and workers) gets SIGKILL in the middle of a
     burst through nginx; every vote answered 201 must be stored, none twice, and the other
     process serves on;
   - postgres: PostgreSQL restarts in the middle of a burst; while it is down the answers
     must be 503 with Retry-After (no 500), and votes must be accepted again afterwards
     without restarting the application;
   - worker: the worker gets SIGKILL in the middle of a certificate run; a new worker resumes
     it, and it completes with exactly one certificate per award;
   - redis: Redis is stopped; votes are still accepted (counters and cache fall back to the
     database) and /readyz says so.

Run: ``.venv/bin/python benchmarks/bench_cluster.py`` (needs nginx and wrk:
``apt-get install -y nginx wrk``; PostgreSQL 15's server binaries; redis-server).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import pwd
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_votes import VOTE_LUA, prepare_votes, seed  # noqa: E402
from vote_runs import (  # noqa: E402
    by_status,
    free_port,
    latency,
    log,
    machine_line,
    run_wrk,
    stored_votes,
    wait_http,
)

PG_BIN = Path("/usr/lib/postgresql/15/bin")

SETTINGS = """
from sayembara.settings import *  # noqa: F401,F403

VOTING_POW_BITS = 8
"""

NGINX = """
worker_processes 1;
{user}
pid {folder}/nginx.pid;
error_log {folder}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {folder}/nginx-body;
    proxy_temp_path {folder}/nginx-proxy;
    fastcgi_temp_path {folder}/nginx-fastcgi;
    uwsgi_temp_path {folder}/nginx-uwsgi;
    scgi_temp_path {folder}/nginx-scgi;
    upstream sayembara_app {{
        least_conn;
        server 127.0.0.1:{a} max_fails=1 fail_timeout=5s;
        server 127.0.0.1:{b} max_fails=1 fail_timeout=5s;
        keepalive 64;
    }}
    server {{
        listen 127.0.0.1:{port};
        client_max_body_size 60m;
        location / {{
            proxy_pass http://sayembara_app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
            proxy_next_upstream error timeout;
            proxy_connect_timeout 2s;
        }}
    }}
}}
"""


def as_postgres(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a PostgreSQL server binary as the postgres account (it refuses root)."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, check=True, capture_output=True, text=True, **kwargs)


class Cluster:
    def __init__(self, folder: Path, *, workers: int, threads: int):
        self.folder = folder
        self.workers, self.threads = workers, threads
        self.pg_port, self.redis_port = free_port(), free_port()
        self.ports = [free_port(), free_port()]
        self.nginx_port = free_port()
        self.servers: list[subprocess.Popen] = []
        self.worker: subprocess.Popen | None = None
        self.redis: subprocess.Popen | None = None
        self.nginx: subprocess.Popen | None = None
        self.pgdata = folder / "pgdata"
        self.env: dict[str, str] = {}

    # -- PostgreSQL and Redis --------------------------------------------------------------
    def start_postgres(self) -> None:
        self.pgdata.mkdir()
        socket_dir = self.folder / "pgsocket"
        socket_dir.mkdir()
        if os.geteuid() == 0:
            uid = pwd.getpwnam("postgres")
            for path in (self.folder, self.pgdata, socket_dir):
                os.chown(path, uid.pw_uid, uid.pw_gid)
            os.chmod(self.folder, 0o755)
        as_postgres([str(PG_BIN / "initdb"), "-D", str(self.pgdata), "-U", "postgres",
                     "--auth=trust", "--no-sync"])
        self.pg_ctl("start")
        as_postgres([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port),
                     "-U", "postgres", "sayembara"])

    def pg_ctl(self, action: str) -> None:
        options = (f"-p {self.pg_port} -c listen_addresses=127.0.0.1 "
                   f"-c unix_socket_directories={self.folder / 'pgsocket'} -c fsync=off "
                   "-c max_connections=200")
        args = [str(PG_BIN / "pg_ctl"), "-D", str(self.pgdata), "-w", "-l",
                str(self.folder / "postgres.log")]
        if action in ("start", "restart"):
            args += ["-o", options]
        if action in ("stop", "restart"):
            args += ["-m", "fast"]
        as_postgres([*args, action])

    def start_redis(self) -> None:
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
        wait_tcp(self.redis_port)

    # -- the application --------------------------------------------------------------------
    def environment(self) -> dict[str, str]:
        (self.folder / "bench_cluster_settings.py").write_text(SETTINGS)
        env = dict(os.environ)
        env.update({
            "DJANGO_SETTINGS_MODULE": "bench_cluster_settings",
            "PYTHONPATH": os.pathsep.join([str(self.folder), str(REPO / "src")]),
            "SAYEMBARA_PRODUCTION": "1",
            "SECRET_KEY": secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SAYEMBARA_PUBLIC_URL": f"http://127.0.0.1:{self.nginx_port}",
            "SAYEMBARA_BEHIND_PLAIN_HTTP": "1",
            "SAYEMBARA_TRUSTED_PROXIES": "1",
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.pg_port}/sayembara"
                            "?conn_max_age=600",
            "REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(free_port()),
            "SAYEMBARA_DATA_DIR": str(self.folder / "data"),
            "LOG_LEVEL": "WARNING",
        })
        self.env = env
        return env

    def start_server(self, index: int) -> subprocess.Popen:
        process = subprocess.Popen(
            [sys.executable, "-m", "sayembara", "serve", "--host", "127.0.0.1",
             "--port", str(self.ports[index]), "--workers", str(self.workers),
             "--threads", str(self.threads), "--no-migrate"],
            env=self.env, cwd=self.folder, start_new_session=True,
            stdout=open(self.folder / f"serve-{index}.log", "ab"), stderr=subprocess.STDOUT)
        if index < len(self.servers):
            self.servers[index] = process
        else:
            self.servers.append(process)
        wait_http(self.ports[index], "/healthz")
        return process

    def start_worker(self) -> subprocess.Popen:
        self.worker = subprocess.Popen(
            [sys.executable, "-m", "sayembara", "worker"], env=self.env, cwd=self.folder,
            start_new_session=True, stdout=open(self.folder / "worker.log", "ab"),
            stderr=subprocess.STDOUT)
        return self.worker

    def start_nginx(self) -> None:
        user = "user root root;" if os.geteuid() == 0 else ""
        conf = self.folder / "nginx.conf"
        conf.write_text(NGINX.format(user=user, folder=self.folder, a=self.ports[0],
                                     b=self.ports[1], port=self.nginx_port))
        self.nginx = subprocess.Popen(["nginx", "-p", str(self.folder), "-c", str(conf),
                                       "-g", "daemon off;"])
        wait_http(self.nginx_port, "/healthz")

    def stop(self) -> None:
        for process in [self.nginx, self.worker, *self.servers, self.redis]:
            if process is not None and process.poll() is None:
                try:
                    os.killpg(process.pid, signal.SIGTERM)
                except (ProcessLookupError, PermissionError):
                    process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
        try:
            self.pg_ctl("stop")
        except (subprocess.CalledProcessError, FileNotFoundError):
            pass


def wait_tcp(port: int, timeout: float = 30) -> None:
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise SystemExit(f"Nothing listens on port {port} after {timeout} s.")


# -- votes ------------------------------------------------------------------------------------

def stored_pairs(ballot_id: int) -> set[tuple[int, int]]:
    from sayembara.voting.models import Vote

    return set(Vote.objects.filter(ballot_id=ballot_id).values_list("voter_id", "entry_id"))


def burst(port: int, slug: str, lines: list[str], *, threads: int, csrf: str,
          during=None, after: float = 1.0) -> list[dict]:
    """Send every prepared vote through ``port`` from ``threads`` clients; call ``during``
    once ``after`` seconds in. Each answer: status, Retry-After, the vote's voter and entry."""
    from urllib.parse import parse_qs

    from sayembara.voting.services.voters import voter_id_from_token

    results: list[dict] = []
    lock = threading.Lock()
    queue = list(enumerate(lines))
    path = f"/publik/{slug}/suara/pilih/"

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                if not queue:
                    return
                _n, line = queue.pop(0)
            cookie, body = line.split("|", 1)
            entry = int(parse_qs(body)["entry"][0])
            try:
                conn.request("POST", path, body=body, headers={
                    "Cookie": f"csrftoken={csrf}; sayembara_voter={cookie}",
                    "X-CSRFToken": csrf, "Accept": "application/json",
                    "Content-Type": "application/x-www-form-urlencoded"})
                response = conn.getresponse()
                response.read()
                answer = {"status": response.status,
                          "retry_after": response.getheader("Retry-After")}
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                answer = {"status": 0, "retry_after": None}
            answer.update(voter=voter_id_from_token(cookie), entry=entry, at=time.monotonic())
            with lock:
                results.append(answer)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    started = time.monotonic()
    for worker in workers:
        worker.start()
    if during is not None:
        time.sleep(after)
        during()
    for worker in workers:
        worker.join(timeout=600)
    for answer in results:
        answer["t"] = answer.pop("at") - started
    return results


def statuses(results: list[dict]) -> list[int]:
    return [answer["status"] for answer in results]


def integrity(results: list[dict], ballot_id: int) -> dict:
    accepted = {(a["voter"], a["entry"]) for a in results if a["status"] == 201}
    stored = stored_pairs(ballot_id)
    _count, duplicates = stored_votes(ballot_id)
    return {"accepted": len(accepted), "accepted_not_stored": len(accepted - stored),
            "duplicates": duplicates}


# -- the run ------------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--duration", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1, help="gunicorn workers per process")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--votes", type=int, default=24000)
    parser.add_argument("--drill-votes", type=int, default=900)
    parser.add_argument("--no-drills", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    args = parser.parse_args()
    for program in ("nginx", "wrk", "redis-server"):
        if shutil.which(program) is None:
            print(f"{program} is not installed (apt-get install -y nginx wrk redis-server).",
                  file=sys.stderr)
            return 2
    folder = Path(tempfile.mkdtemp(prefix="sayembara-cluster-"))
    cluster = Cluster(folder, workers=args.workers, threads=args.threads)
    figures: dict = {}
    try:
        log(f"Scratch folder {folder}; PostgreSQL on {cluster.pg_port}, Redis on "
            f"{cluster.redis_port}, servers on {cluster.ports}, nginx on {cluster.nginx_port}.")
        cluster.start_postgres()
        cluster.start_redis()
        os.environ.update(cluster.environment())
        sys.path.insert(0, str(folder))
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        total = args.votes + 5 * args.drill_votes
        # One voter per three prepared votes (one per category): no vote repeats another.
        edition, ballot, voter_ids, by_category = seed(voters=total // 3 + 3,
                                                       entries_per_category=10)
        csrf = secrets.token_hex(16)
        votes_file = folder / "votes.txt"
        log(f"Preparing {total} votes.")
        prepare_votes(voter_ids=voter_ids, by_category=by_category, count=total,
                      path=votes_file)
        lines = votes_file.read_text().splitlines()
        bench_lines, drill_lines = lines[:args.votes], lines[args.votes:]
        from django.db import connections

        connections.close_all()

        cluster.start_server(0)
        cluster.start_server(1)
        cluster.start_worker()
        cluster.start_nginx()
        log("Two server processes, a worker and nginx are up.")

        # -- throughput: one process directly against the balancer -------------------------
        per_round = len(bench_lines) // (2 * args.rounds)
        direct, balanced, accepted_total = [], [], 0
        for n in range(args.rounds):
            for name, port, sink in (("direct", cluster.ports[0], direct),
                                     ("balancer", cluster.nginx_port, balanced)):
                chunk = bench_lines[:per_round]
                bench_lines = bench_lines[per_round:]
                chunk_file = folder / f"{name}-{n}.txt"
                chunk_file.write_text("\n".join(chunk) + "\n")
                script = VOTE_LUA % {"path": f"/publik/{edition.slug}/suara/pilih/",
                                     "csrf": csrf, "file": chunk_file}
                result = run_wrk(port=port, script=script, connections=args.connections,
                                 duration=args.duration, threads=1, folder=folder,
                                 name=f"{name}-{n}")
                accepted = result["c201"] / (result["duration_us"] / 1e6)
                sink.append(accepted)
                accepted_total += result["c201"]
                log(f"  round {n + 1} {name:8s}: {accepted:7.1f} accepted votes/s "
                    f"({latency(result)}, other answers {result['other']}, "
                    f"exhausted {result['exhausted']})")
        stored, duplicates = stored_votes(ballot.pk)
        figures["throughput"] = {
            "direct_votes_per_s": round(statistics.median(direct), 1),
            "balancer_votes_per_s": round(statistics.median(balanced), 1),
            "ratio": round(statistics.median(balanced) / statistics.median(direct), 3),
            "accepted_201": accepted_total, "stored": stored, "duplicates": duplicates,
            "lost": accepted_total - stored if stored <= accepted_total else 0,
        }
        log(f"Throughput: {json.dumps(figures['throughput'])}")
        if args.no_drills:
            return 0
        chunks = [drill_lines[i * args.drill_votes:(i + 1) * args.drill_votes]
                  for i in range(5)]

        # -- drill 1: SIGKILL one server process in the middle of a burst -----------------
        def kill_one():
            os.killpg(cluster.servers[1].pid, signal.SIGKILL)
            log("  SIGKILL sent to server process 2 (gunicorn master and workers).")

        results = burst(cluster.nginx_port, edition.slug, chunks[0], threads=8, csrf=csrf,
                        during=kill_one, after=1.0)
        killed_at = next((a["t"] for a in results if a["status"] in (0, 502)), 1.0)
        after_kill = [a for a in results if a["t"] > killed_at + 1.0]
        figures["kill"] = {"answers": by_status(statuses(results)), **integrity(results, ballot.pk),
                           "accepted_after_kill": sum(a["status"] == 201 for a in after_kill),
                           "healthz_after": http_status(cluster.nginx_port, "/healthz")}
        log(f"Drill kill: {json.dumps(figures['kill'])}")
        cluster.start_server(1)

        # -- drill 2: PostgreSQL restarts in the middle of a burst ------------------------
        def restart_postgres():
            log("  PostgreSQL stops.")
            cluster.pg_ctl("stop")
            time.sleep(3)
            cluster.pg_ctl("start")
            log("  PostgreSQL is back.")

        results = burst(cluster.nginx_port, edition.slug, chunks[1], threads=8, csrf=csrf,
                        during=restart_postgres, after=1.0)
        unavailable = [a for a in results if a["status"] == 503]
        # The same processes, not restarted, once PostgreSQL is back.
        again = burst(cluster.nginx_port, edition.slug, chunks[3], threads=8, csrf=csrf)
        connections.close_all()
        figures["postgres"] = {
            "answers_during": by_status(statuses(results)),
            "answers_after": by_status(statuses(again)),
            **integrity(results + again, ballot.pk),
            "503_with_retry_after": sum(1 for a in unavailable if a["retry_after"]),
            "500": sum(a["status"] == 500 for a in results + again),
            "servers_restarted": sum(p.poll() is not None for p in cluster.servers),
        }
        log(f"Drill postgres: {json.dumps(figures['postgres'])}")

        # -- drill 3: the worker is killed in the middle of a certificate run --------------
        figures["worker"] = worker_drill(cluster, edition)
        log(f"Drill worker: {json.dumps(figures['worker'])}")

        # -- drill 4: Redis stops ----------------------------------------------------------
        subprocess.run(["redis-cli", "-p", str(cluster.redis_port), "shutdown", "nosave"],
                       capture_output=True)
        cluster.redis.wait(timeout=10)
        ready = http_json(cluster.nginx_port, "/readyz")
        results = burst(cluster.nginx_port, edition.slug, chunks[4], threads=8, csrf=csrf)
        figures["redis"] = {"readyz": ready, "answers": by_status(statuses(results)),
                            **integrity(results, ballot.pk),
                            "500": sum(a["status"] == 500 for a in results)}
        log(f"Drill redis: {json.dumps(figures['redis'])}")

        # -- a backup while the site serves, restored into a new database -------------------
        figures["backup"] = backup_drill(cluster)
        log(f"Backup: {json.dumps(figures['backup'])}")
        problems = verdict(figures)
        for problem in problems:
            log(f"NOT MET: {problem}")
        log("Every condition is met." if not problems else f"{len(problems)} conditions not met.")
        return 1 if problems else 0
    finally:
        log(machine_line())
        log("FIGURES " + json.dumps(figures))
        cluster.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def verdict(figures: dict) -> list[str]:
    """What the issue asks of the cluster, checked against the figures."""
    problems = []
    throughput = figures["throughput"]
    if throughput["ratio"] < 0.9:
        problems.append(f"balancer at {throughput['ratio']:.0%} of one process (< 90 %)")
    for name in ("throughput", "kill", "postgres", "redis"):
        if figures[name].get("duplicates"):
            problems.append(f"{name}: votes stored twice")
        if figures[name].get("accepted_not_stored") or figures[name].get("lost"):
            problems.append(f"{name}: votes answered 201 and not stored")
    if figures["kill"]["accepted_after_kill"] == 0 or figures["kill"]["healthz_after"] != 200:
        problems.append("kill: the other process did not serve on")
    postgres = figures["postgres"]
    if postgres["500"] or postgres["503_with_retry_after"] != postgres["answers_during"].get(
            "503", 0) or postgres["answers_after"].get("201", 0) == 0:
        problems.append("postgres: not 503 with Retry-After while down, or no recovery")
    worker = figures["worker"]
    if worker["final_status"] != "done" or not (
            worker["certificates"] == worker["distinct_awards_certified"] == worker["awards"]):
        problems.append("worker: the run did not complete with one certificate per award")
    redis = figures["redis"]
    if redis["500"] or redis["readyz"]["checks"]["redis"] != "unreachable" or \
            redis["answers"].get("201", 0) == 0:
        problems.append("redis: the site did not keep working on the database or say so")
    if not figures["backup"]["restore_ok"]:
        problems.append("backup: the restore failed")
    return problems


def http_status(port: int, path: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    return conn.getresponse().status


def http_json(port: int, path: str) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    return {"status": response.status, **json.loads(response.read())}


def backup_drill(cluster: Cluster) -> dict:
    """`sayembara backup` while nginx still serves, `sayembara restore` into a new database
    and uploads folder, with every checksum and the audit chain's head checked."""
    backup_dir = cluster.folder / "backup"
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "sayembara", "backup", str(backup_dir)],
                          env=cluster.env, capture_output=True, text=True, check=True)
    seconds = time.monotonic() - started
    as_postgres([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.pg_port),
                 "-U", "postgres", "restored"])
    env = dict(cluster.env, DATABASE_URL=cluster.env["DATABASE_URL"].replace(
        "/sayembara?", "/restored?"), SAYEMBARA_DATA_DIR=str(cluster.folder / "restored"))
    restored = subprocess.run([sys.executable, "-m", "sayembara", "restore", str(backup_dir)],
                              env=env, capture_output=True, text=True)
    manifest = json.loads((backup_dir / "manifest.json").read_text())
    return {"backup_seconds": round(seconds, 1), "files": len(manifest["files"]),
            "bytes": sum(f["size"] for f in manifest["files"]),
            "restore_ok": restored.returncode == 0,
            "restore_says": (restored.stdout or restored.stderr).strip()[-200:],
            "backup_says": done.stdout.strip()[-200:]}


def worker_drill(cluster: Cluster, edition) -> dict:
    """Final results for the finalists, a certificate design, a run started, the worker
    killed once it has drawn some, a new worker: one certificate per award in the end."""
    from decimal import Decimal

    from django.db import connections

    from sayembara.documents.enums import BatchStatus
    from sayembara.documents.models import Certificate, CertificateBatch
    from sayembara.documents.services.certificates import (
        awards_of,
        design_for,
        start_generation,
    )
    from sayembara.entries.models import Entry
    from sayembara.judging.models import FinalResult

    rows = []
    for category in edition.categories.order_by("order"):
        entries = Entry.objects.filter(edition=edition, category=category).order_by("code")
        for rank, entry in enumerate(entries, start=1):
            rows.append(FinalResult(
                edition=edition, entry=entry, category=category, rank=rank,
                total=Decimal(90 - rank), award_label=f"Juara {rank}", prize=Decimal(0),
                details={"unit": category.key}, engine_version="bench"))
    FinalResult.objects.bulk_create(rows)
    design = design_for(edition)
    design.signatories = [{"name": "Kepala BRIDA", "title": "Kepala", "id_number": ""}]
    design.save()
    awards = len(awards_of(edition))
    batch = start_generation(edition=edition, actor="bench")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        done = CertificateBatch.objects.filter(pk=batch.pk).values_list("done", flat=True)[0]
        if done >= 2:
            break
        time.sleep(0.05)
    os.killpg(cluster.worker.pid, signal.SIGKILL)
    cluster.worker.wait()
    killed_at = CertificateBatch.objects.get(pk=batch.pk)
    connections.close_all()
    cluster.start_worker()
    while time.monotonic() < deadline:
        status = CertificateBatch.objects.filter(pk=batch.pk).values_list("status", flat=True)[0]
        if status in (BatchStatus.DONE, BatchStatus.FAILED):
            break
        time.sleep(0.5)
    certificates = Certificate.objects.filter(edition=edition)
    pairs = set(certificates.values_list("entry_id", "award_label"))
    return {"awards": awards, "drawn_when_killed": killed_at.done,
            "status_when_killed": killed_at.status,
            "final_status": CertificateBatch.objects.get(pk=batch.pk).status,
            "certificates": certificates.count(), "distinct_awards_certified": len(pairs)}


if __name__ == "__main__":
    sys.exit(main())
