#!/usr/bin/env python
"""Peak memory of a server process during a zip-bomb upload, beside a normal upload.

What it does (everything on this machine, on loopback, bounded in time):

1. migrates a scratch SQLite database in a temporary folder and seeds one edition of the
   Mangupura Award 2024 template, one institution, its entry and its operator;
2. starts the production server (gunicorn) with ONE synchronous worker, so that every
   request is served by the same process, whose memory is read from /proc;
3. signs in as the operator and uploads to the entry's 20 MB document slot, in turn:
   a normal PDF of 306 KB, and a 306 KB zip named ``bomb.pdf`` whose ``mimetype`` member
   inflates to 300 MB (the probe that grew a worker from 175 MB to 786 MB); the rest of the
   entry form is left incomplete, so both answers are 422 and both files go through exactly
   the same checks;
4. before each upload resets the worker's peak resident memory (``/proc/PID/clear_refs``)
   and after it reads the new peak (``VmHWM``), ``--rounds`` times each, alternating;
5. prints the worker's resident memory, the peak during each kind of upload, the extra
   memory each upload needed above the resident memory before it, and the ratio of the
   bomb's extra memory to the normal upload's. It checks that the bomb was refused with
   its sentence; it asserts nothing about memory or time (the target, under 50 MB extra
   for one upload, is read from the figures).

Run: ``.venv/bin/python benchmarks/bench_upload_memory.py`` (Linux; about a minute).
"""

from __future__ import annotations

import argparse
import http.client
import io
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
PASSWORD = "bench-upload-" + secrets.token_hex(4)
SLOT = "upload__document__dokumen-aset"

SEED = """
import django, datetime as dt
django.setup()
from django.utils import timezone
from sayembara.accounts.enums import Role
from sayembara.accounts.models import Membership, User
from sayembara.competitions.models import Organiser
from sayembara.competitions.services.editions import create_edition
from sayembara.entries.models import Institution
from sayembara.entries.services.entries import create_entry
from sayembara.template_format import load_template

organiser = Organiser.objects.create(name="BRIDA Kabupaten Badung", slug="brida-badung",
                                     timezone="WITA")
edition = create_edition(template=load_template("mangupura-2024"), year=2024,
                         organiser=organiser, actor="bench")
edition.submission_deadline = timezone.now() + dt.timedelta(days=10)
edition.save(update_fields=["submission_deadline"])
unit = Institution.objects.create(organiser=organiser, name="Kelurahan Kuta",
                                  kind="kelurahan")
user = User.objects.create_user(username="operator-bench", email="op@bench.go.id",
                                password="{password}")
Membership.objects.create(user=user, role=Role.OPERATOR, institution=unit)
entry = create_entry(edition=edition, institution=unit, category=edition.categories.first(),
                     title="Layanan Antar Dokumen", actor="bench")
print(entry.pk)
"""


def zip_bomb(expanded_mb: int) -> bytes:
    buffer = io.BytesIO()
    chunk = b"\0" * MB
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("mimetype", "w", force_zip64=True) as handle:
            for _ in range(expanded_mb):
                handle.write(chunk)
    return buffer.getvalue()


def normal_pdf(size: int) -> bytes:
    head = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"
    body = secrets.token_bytes(size - len(head) - 6)  # incompressible, like a scanned page
    return head + body + b"\n%%EOF"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Session:
    """A signed-in browser, in a few lines of http.client."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes = b"", headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = dict(headers or {})
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        headers["Host"] = "127.0.0.1"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        connection.close()
        return response.status, data

    def csrf(self, html: bytes) -> str:
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1).decode()

    def post_form(self, path: str, fields: dict[str, str], files=None):
        boundary = "----bench" + secrets.token_hex(8)
        parts = []
        for name, value in fields.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                         f"\r\n\r\n{value}\r\n".encode())
        for name, (filename, content) in (files or {}).items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                         f'filename="{filename}"\r\nContent-Type: application/pdf\r\n\r\n'
                         .encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": f"http://127.0.0.1:{self.port}{path}"})


def memory(pid: int) -> dict[str, int]:
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            figures[key] = int(value.split()[0]) * 1024
    return figures


def reset_peak(pid: int) -> None:
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def worker_pid(master: int) -> int:
    for _ in range(100):
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)],
                                  capture_output=True, text=True).stdout.split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise SystemExit("gunicorn started no worker")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bomb-mb", type=int, default=300)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    env = {**os.environ, "SAYEMBARA_DATA_DIR": str(work), "DATABASE_URL": "",
           "TASKS_BACKEND": "immediate", "LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL")
    python = sys.executable
    subprocess.run([python, "-m", "sayembara", "migrate", "-v", "0"], env=env, check=True)
    seeded = subprocess.run([python, "-c", SEED.replace("{password}", PASSWORD)],
                            env={**env, "DJANGO_SETTINGS_MODULE": "sayembara.settings"},
                            capture_output=True, text=True, check=True)
    entry = int(seeded.stdout.split()[-1])

    port = free_port()
    server = subprocess.Popen(
        [python, "-m", "gunicorn", "sayembara.wsgi", "--workers", "1", "--worker-class",
         "sync", "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
        env=env, cwd=work)
    try:
        pid = worker_pid(server.pid)
        session = Session(port)
        session.cookies["django_language"] = "en"  # the refusal is checked in English
        for _ in range(100):
            try:
                status, page = session.request("GET", "/akun/masuk/")
                break
            except OSError:
                time.sleep(0.2)
        status, _ = session.post_form("/akun/masuk/", {
            "csrfmiddlewaretoken": session.csrf(page), "username": "operator-bench",
            "password": PASSWORD})
        if status != 302:
            raise SystemExit(f"sign-in failed ({status})")

        bomb = zip_bomb(args.bomb_mb)
        files = {"normal": ("laporan.pdf", normal_pdf(len(bomb))), "bomb": ("bomb.pdf", bomb)}
        edit = f"/peserta/entri/{entry}/ubah/"
        peaks: dict[str, list[int]] = {"normal": [], "bomb": []}
        extras: dict[str, list[int]] = {"normal": [], "bomb": []}
        resident: list[int] = []
        for _round in range(args.rounds):
            for kind in ("normal", "bomb"):
                status, page = session.request("GET", edit)
                version = re.search(rb'name="version" value="(\d+)"', page).group(1).decode()
                fields = {"csrfmiddlewaretoken": session.csrf(page), "version": version,
                          "title": "Layanan Antar Dokumen", "innovators": "Tim"}
                before = memory(pid)["VmRSS"]
                reset_peak(pid)
                status, answer = session.post_form(edit, fields, {SLOT: files[kind]})
                peak = memory(pid)["VmHWM"]
                if kind == "bomb" and b"would expand to" not in answer:
                    raise SystemExit(f"the bomb was not refused with its sentence ({status})")
                resident.append(before)
                peaks[kind].append(peak)
                extras[kind].append(peak - before)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    def mb(value: float) -> str:
        return f"{value / MB:7.1f} MB"

    print(f"upload size: {len(bomb) / 1024:.0f} KB each; the bomb's mimetype member "
          f"inflates to {args.bomb_mb} MB; {args.rounds} rounds, medians")
    print(f"worker resident memory before an upload: {mb(statistics.median(resident))}")
    for kind in ("normal", "bomb"):
        print(f"{kind:>6} upload: peak {mb(statistics.median(peaks[kind]))}, extra "
              f"{mb(statistics.median(extras[kind]))} (max {mb(max(extras[kind]))})")
    normal = max(statistics.median(extras["normal"]), 1)
    print(f"bomb extra / normal extra: {statistics.median(extras['bomb']) / normal:.2f}")
    print("target: the extra memory of one upload stays under 50 MB")


if __name__ == "__main__":
    main()
