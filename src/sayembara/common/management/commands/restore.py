from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from sayembara.common.services.backups import BackupError, restore


class Command(BaseCommand):
    help = ("Restore a backup written by `sayembara backup` into an empty database and file "
            "store (every checksum is checked first).")

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR")
        parser.add_argument("--force", action="store_true",
                            help="replace a database and uploaded files that are not empty")

    def handle(self, *args, **options):
        try:
            summary = restore(options["folder"], force=options["force"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(ngettext(
            "Restored the %(engine)s database and %(files)s uploaded file from %(folder)s; "
            "audit chain head %(head)s as in the manifest.",
            "Restored the %(engine)s database and %(files)s uploaded files from %(folder)s; "
            "audit chain head %(head)s as in the manifest.", summary.files)
                          % {"engine": summary.engine, "files": summary.files,
                             "folder": summary.folder, "head": summary.audit_head})
