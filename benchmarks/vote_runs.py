"""What the vote benchmarks (bench_votes.py, bench_cluster.py) share: a free port, waiting
for a server, one wrk run read back as figures, and the printing of those figures (log
lines, latency, answers by status, the stored votes and their duplicates)."""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterable
from pathlib import Path


def log(message: str) -> None:
    print(message, flush=True)


def machine_line() -> str:
    """The cores and the load when the figures were taken (other work lowers them)."""
    return (f"machine: {os.cpu_count()} cores, load average (1 min) {os.getloadavg()[0]:.1f} "
            "after the runs (other work on the machine lowers every figure)")


def latency(result: dict) -> str:
    """"p50 12.3 ms, p99 45.6 ms" of a wrk run."""
    return f"p50 {result['p50_us'] / 1000:.1f} ms, p99 {result['p99_us'] / 1000:.1f} ms"


def by_status(statuses: Iterable[int | str]) -> dict[str, int]:
    """How many answers of each HTTP status (0: no answer), in order of status."""
    out: dict[str, int] = {}
    for status in statuses:
        out[str(status)] = out.get(str(status), 0) + 1
    return dict(sorted(out.items()))


def stored_votes(ballot_id: int) -> tuple[int, int]:
    """(votes stored, (voter, unit) pairs stored more than once)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM voting_vote WHERE ballot_id = %s", [ballot_id])
        stored = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM (SELECT voter_id, unit FROM voting_vote WHERE "
                       "ballot_id = %s GROUP BY voter_id, unit HAVING count(*) > 1) d",
                       [ballot_id])
        duplicates = cursor.fetchone()[0]
    return stored, duplicates


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_http(port: int, path: str, timeout: float = 90) -> None:
    """Until ``path`` on ``port`` answers 200 (the server is up)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"Port {port} did not answer {path} with 200 within {timeout} s.")


def run_wrk(*, port: int, script: str, connections: int, duration: int, threads: int,
            folder: Path, name: str, cpu=None) -> dict:
    """One wrk run with a Lua script that prints a RESULT line; its figures, with requests
    per second and, given ``cpu`` (a snapshot function), the CPU milliseconds per request."""
    before = cpu() if cpu else None
    lua = folder / f"{name}.lua"
    lua.write_text(script)
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s",
               "--timeout", "5s", "-s", str(lua), f"http://127.0.0.1:{port}/"]
    output = subprocess.run(command, capture_output=True, text=True, check=True,
                            timeout=duration + 60).stdout
    match = re.search(r"^RESULT (.*)$", output, re.MULTILINE)
    if match is None:
        raise SystemExit(f"wrk printed no result:\n{output}")
    result = json.loads(match.group(1))
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    if cpu:
        after = cpu()
        for key in after:
            result[f"cpu_{key}_ms"] = 1000 * (after[key] - before[key]) / max(result["requests"], 1)
    return result
