"""Running the production WSGI server (gunicorn, threaded workers) for `serve` and `demo`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from typing import Any

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


class Children:
    """Child processes that stop with their parent.

    Used as ``with Children() as children:``. When the block ends, by return, Ctrl-C
    (SIGINT), SIGTERM or SIGHUP, every child is asked to stop (SIGTERM, then SIGKILL after
    ``timeout`` seconds) in the reverse order of starting, so nothing keeps serving the port
    after the command is gone. On Linux a child is also told to stop if its parent dies
    without that chance (SIGKILL).
    """

    SIGNALS = (signal.SIGTERM, signal.SIGHUP)

    def __init__(self, *, timeout: float = 10):
        self.timeout = timeout
        self.processes: list[subprocess.Popen] = []
        self._previous: dict[int, Any] = {}

    def start(self, args: list[str], **kwargs: Any) -> subprocess.Popen:
        if sys.platform.startswith("linux"):
            kwargs.setdefault("preexec_fn", _stop_with_parent)
        process = subprocess.Popen(args, **kwargs)
        self.processes.append(process)
        return process

    def __enter__(self) -> Children:
        for signum in self.SIGNALS:
            self._previous[signum] = signal.signal(signum, _raise_stop)
        return self

    def __exit__(self, kind: Any, error: Any, trace: Any) -> bool:
        try:
            for process in reversed(self.processes):
                stop_process(process, timeout=self.timeout)
        finally:
            for signum, handler in self._previous.items():
                signal.signal(signum, handler)
        # Ctrl-C and a stop signal end the command quietly: stopping is what was asked.
        return kind is not None and issubclass(kind, KeyboardInterrupt | StopRequested)


class StopRequested(Exception):
    """SIGTERM or SIGHUP arrived: stop the children, then end."""


def _raise_stop(signum: int, frame: Any) -> None:
    raise StopRequested(signum)


def _stop_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    import ctypes

    PR_SET_PDEATHSIG = 1
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):
        pass


def stop_process(process: subprocess.Popen, *, timeout: float = 10) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_server(*, host: str, port: int, workers: int, threads: int,
               env: dict[str, str] | None = None, children: Children | None = None) -> int:
    """Serve until gunicorn ends, Ctrl-C or a stop signal; gunicorn stops with us."""
    env = dict(os.environ if env is None else env)
    env.setdefault("DJANGO_SETTINGS_MODULE", "sayembara.settings")
    command = gunicorn_command(host=host, port=port, workers=workers, threads=threads)
    if children is not None:
        return children.start(command, env=env).wait()
    with Children() as own:
        return own.start(command, env=env).wait()
    return 0
