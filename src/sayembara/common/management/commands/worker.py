import time

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections
from django.db.utils import InterfaceError, OperationalError
from django.utils.translation import gettext as _


def _resume() -> list[int]:
    from sayembara.documents.services.certificates import resume_interrupted_batches

    try:
        return resume_interrupted_batches()
    except (OperationalError, InterfaceError):
        return []


class Command(BaseCommand):
    help = "Run the background worker that sends e-mail and does slow work (Ctrl-C stops it)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true",
                            help="Run the tasks waiting now, then stop.")

    def handle(self, *args, **options):
        # A worker killed in the middle of a certificate run leaves it unfinished: take it up
        # again (certificates already issued keep their codes; one per award and entry).
        for batch_id in _resume():
            self.stdout.write(_("Certificate run %(id)s was interrupted; it starts again.")
                              % {"id": batch_id})
        extra = ["--batch"] if options["batch"] else []
        while True:
            try:
                call_command("db_worker", "--interval", "1", "--no-startup-delay", "--no-reload",
                             *extra)
                return
            except (OperationalError, InterfaceError) as error:
                # PostgreSQL restarting: wait for it instead of dying (a task cut off keeps
                # its rows; certificate runs resume below).
                if options["batch"]:
                    raise
                self.stderr.write(_("The database cannot be reached (%(error)s); trying again "
                                    "in %(seconds)s seconds.")
                                  % {"error": str(error).strip()[:200], "seconds": 2})
                connections.close_all()
                time.sleep(2)
                for batch_id in _resume():
                    self.stdout.write(_("Certificate run %(id)s was interrupted; it starts "
                                        "again.") % {"id": batch_id})
