"""`sayembara demo` runs without debug pages and stops its server and worker with it.

A real process, as a person starts it: serve an (empty) demo database, check what the
server answers, send SIGTERM, then the port is free and none of its children is left.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def descendants(pid: int) -> set[int]:
    """Every process started under ``pid`` (Linux /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        parent = todo.pop()
        for task in Path(f"/proc/{parent}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def demo(tmp_path):
    if not Path("/proc/self/task").exists():
        pytest.skip("needs Linux /proc to find the demo's child processes")
    port = free_port()
    env = {**os.environ, "SAYEMBARA_DATA_DIR": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}
    for name in ("DEBUG", "SAYEMBARA_PUBLIC_URL", "ALLOWED_HOSTS", "SAYEMBARA_PRODUCTION"):
        env.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "sayembara", "demo", "--no-seed", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )
    deadline = time.monotonic() + 90
    while port_is_free(port):
        assert process.poll() is None, "the demo ended before serving"
        assert time.monotonic() < deadline, "the demo did not start serving in 90 s"
        time.sleep(0.3)
    # The port is bound before the server's workers have loaded the application: wait until
    # one answers (a busy machine can take a while).
    while True:
        try:
            fetch(f"http://127.0.0.1:{port}/static/sayembara/app.css")
            break
        except OSError:
            assert process.poll() is None, "the demo ended before serving"
            assert time.monotonic() < deadline, "the demo did not answer in 90 s"
            time.sleep(0.5)
    try:
        yield process, port
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_demo_serves_without_debug_and_sigterm_stops_server_and_worker(demo):
    process, port = demo
    base = f"http://127.0.0.1:{port}"
    status, page = fetch(base + "/tidak-ada/")
    assert status == 404
    assert "Halaman tidak ditemukan" in page and "Traceback" not in page
    assert "Using the URLconf" not in page  # Django's debug 404 page
    status, css = fetch(base + "/static/sayembara/app.css")
    assert status == 200 and ".topbar" in css
    children = descendants(process.pid)
    assert len(children) >= 3  # the worker, gunicorn and its workers

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    deadline = time.monotonic() + 15
    while (not port_is_free(port) or any(alive(pid) for pid in children)) \
            and time.monotonic() < deadline:
        time.sleep(0.2)
    assert port_is_free(port)
    assert [pid for pid in children if alive(pid)] == []
