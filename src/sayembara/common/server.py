"""Running the production WSGI server (gunicorn, threaded workers) for `serve` and `demo`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

from django.utils.translation import gettext as _


class PortTaken(Exception):
    pass


def check_port_free(host: str, port: int) -> None:
    """Raise PortTaken with advice when something already listens on host:port."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as error:
            raise PortTaken(
                _("Port %(port)s on %(host)s is already in use by another program. Stop that "
                  "program, or choose another port, for example: sayembara %(command)s "
                  "--port %(other)s") % {"port": port, "host": host, "other": port + 1,
                                          "command": "%(command)s"}
            ) from error


def gunicorn_command(*, host: str, port: int, workers: int, threads: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "sayembara.wsgi:application",
        "--bind", f"{host}:{port}",
        "--worker-class", "gthread",
        "--workers", str(workers),
        "--threads", str(threads),
        "--access-logfile", "-",
        "--graceful-timeout", "5",
    ]


def run_server(*, host: str, port: int, workers: int, threads: int) -> int:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "sayembara.settings")
    process = subprocess.Popen(
        gunicorn_command(host=host, port=port, workers=workers, threads=threads), env=env
    )
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            return process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            return 1
