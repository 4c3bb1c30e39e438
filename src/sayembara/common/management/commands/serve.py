from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sayembara.common.server import PortTaken, check_port_free, run_server


class Command(BaseCommand):
    help = "Serve Sayembara with the production WSGI server (gunicorn, threaded workers)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args, **options):
        try:
            check_port_free(options["host"], options["port"])
        except PortTaken as error:
            raise CommandError(str(error) % {"command": "serve"}) from error
        if settings.PRODUCTION:
            # Refuse to start while a setting a deployment needs is missing (SystemCheckError
            # lists each one with its remedy).
            call_command("check", deploy=True, fail_level="ERROR")
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        if settings.PRODUCTION:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(_("Serving on http://%(host)s:%(port)s/ (Ctrl-C stops).")
                          % {"host": options["host"], "port": options["port"]})
        run_server(host=options["host"], port=options["port"], workers=options["workers"],
                   threads=options["threads"])
