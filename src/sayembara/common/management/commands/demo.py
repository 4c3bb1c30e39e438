import os
import subprocess
import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sayembara.common.server import PortTaken, check_port_free, run_server


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
        started = time.monotonic()
        call_command("migrate", interactive=False, verbosity=0)
        summary = seed_demo(log=lambda text: self.stdout.write(text))
        self._checkpoint()
        self.stdout.write(_("Demo data ready in %(seconds).0f s.")
                          % {"seconds": time.monotonic() - started})
        url = f"http://{host}:{port}/"
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(_("Sayembara is at %(url)s") % {"url": url}))
        self.stdout.write(_("Demo accounts (password for all: %(password)s):")
                          % {"password": DEMO_PASSWORD})
        for username, description in summary.accounts:
            self.stdout.write(f"  {username:<24} {description}")
        self.stdout.write("")
        if options["no_serve"]:
            return
        from django.conf import settings

        worker_log = settings.DATA_DIR / "worker.log"
        self.stdout.write(_("Background worker running; its log is in %(path)s")
                          % {"path": worker_log})
        with worker_log.open("ab") as log_file:
            worker = subprocess.Popen(
                [sys.executable, "-m", "sayembara", "worker"], env=dict(os.environ),
                stdout=log_file, stderr=subprocess.STDOUT,
            )
        try:
            run_server(host=host, port=port, workers=2, threads=4)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()

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
