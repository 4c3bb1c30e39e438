from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Run the background worker that sends e-mail and does slow work (Ctrl-C stops it)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true",
                            help="Run the tasks waiting now, then stop.")

    def handle(self, *args, **options):
        from sayembara.documents.services.certificates import resume_interrupted_batches

        # A worker killed in the middle of a certificate run leaves it unfinished: take it up
        # again (certificates already issued keep their codes; one per award and entry).
        for batch_id in resume_interrupted_batches():
            self.stdout.write(_("Certificate run %(id)s was interrupted; it starts again.")
                              % {"id": batch_id})
        extra = ["--batch"] if options["batch"] else []
        call_command("db_worker", "--interval", "1", "--no-startup-delay", "--no-reload", *extra)
