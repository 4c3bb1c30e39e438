import os
import socket
import subprocess
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sayembara.common.server import Children, PortTaken, check_port_free, run_server

LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]")


def reachable_host(host: str) -> str:
    """The address others reach a server bound to ``host`` at (this machine's own address
    when it listens on every interface)."""
    if host not in ("0.0.0.0", "::", ""):
        return f"[{host}]" if ":" in host else host
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks a route
            return probe.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def demo_environment(host: str, port: int, base: dict[str, str]) -> dict[str, str]:
    """The server's and worker's settings: no debug pages, the demo's own address for
    certificates' QR codes and for the hosts it answers to. Values set by the person
    starting the demo win."""
    env = dict(base)
    address = reachable_host(host)
    env.setdefault("SAYEMBARA_PUBLIC_URL", f"http://{address}:{port}")
    env.setdefault("DEBUG", "0")
    hosts = list(LOCAL_HOSTS)
    if address not in hosts:
        hosts.append(address)
    env.setdefault("ALLOWED_HOSTS", ",".join(hosts))
    return env


class Command(BaseCommand):
    help = (
        "Build the demo data (idempotent) on the configured database, then serve it with a "
        "background worker until Ctrl-C."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-serve", action="store_true",
                            help="Only build the demo data, then stop.")
        parser.add_argument("--no-seed", action="store_true",
                            help="Serve the data as it is, without building or updating it.")

    def handle(self, *args, **options):
        from sayembara.demo.seed import DEMO_PASSWORD, seed_demo

        host, port = options["host"], options["port"]
        if not options["no_serve"]:
            try:
                check_port_free(host, port)
            except PortTaken as error:
                raise CommandError(
                    str(error) % {"command": "demo"}
                    + " " + _("(With make: make demo PORT=%(other)s)") % {"other": port + 1}
                ) from error
        from django.conf import settings

        env = demo_environment(host, port, dict(os.environ))
        # Certificates made while seeding point at the address served below.
        settings.SAYEMBARA_PUBLIC_URL = env["SAYEMBARA_PUBLIC_URL"]
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        accounts = []
        if not options["no_seed"]:
            summary = seed_demo(log=lambda text: self.stdout.write(text))
            self._checkpoint()
            accounts = summary.accounts
            self.stdout.write(_("Demo data ready in %(seconds).0f s.")
                              % {"seconds": time.monotonic() - started})
        url = env["SAYEMBARA_PUBLIC_URL"] + "/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Sayembara is at %(url)s") % {"url": url}))
        if accounts:
            self.stdout.write(_("Demo accounts (password for all: %(password)s):")
                              % {"password": DEMO_PASSWORD})
            for username, description in accounts:
                self.stdout.write(f"  {username:<24} {description}")
        self.stdout.write("")
        if options["no_serve"]:
            return
        worker_log = settings.DATA_DIR / "worker.log"
        self.stdout.write(_("Background worker running; its log is in %(path)s")
                          % {"path": worker_log})
        self.stdout.flush()
        # Ctrl-C or SIGTERM ends the server and the worker with this command.
        with Children() as children, worker_log.open("ab") as log_file:
            children.start([sys.executable, "-m", "sayembara", "worker"], env=env,
                           stdout=log_file, stderr=subprocess.STDOUT)
            run_server(host=host, port=port, workers=2, threads=4, env=env, children=children)

    def _checkpoint(self) -> None:
        """Sign the demo's audit chain (with a demo key made on first run), as the periodic
        job of a real installation does."""
        from django.conf import settings

        from sayembara.common.services.checkpoints import (
            CheckpointError,
            generate_key,
            write_checkpoint,
        )

        try:
            if not settings.SAYEMBARA_AUDIT_KEY_FILE.exists():
                generate_key(key_file=settings.SAYEMBARA_AUDIT_KEY_FILE,
                             public_file=settings.SAYEMBARA_AUDIT_PUBLIC_KEY_FILE)
            checkpoint, _path = write_checkpoint()
        except (CheckpointError, OSError) as error:
            self.stdout.write(_("The audit chain was not signed: %(error)s") % {"error": error})
            return
        self.stdout.write(_("Audit chain signed at event %(seq)s.") % {"seq": checkpoint.seq})
