from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import ngettext

from sayembara.common.services.backups import BackupError, backup


class Command(BaseCommand):
    help = ("Back up the database (pg_dump on PostgreSQL, the online backup API on SQLite) and "
            "the uploaded files into DIR, with a manifest of checksums; the site keeps serving.")

    def add_arguments(self, parser):
        parser.add_argument("folder", metavar="DIR", help="a new or empty folder")

    def handle(self, *args, **options):
        try:
            summary = backup(options["folder"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(ngettext(
            "Backed up the %(engine)s database and %(files)s uploaded file (%(bytes)s bytes) "
            "into %(folder)s; audit chain head %(head)s.",
            "Backed up the %(engine)s database and %(files)s uploaded files (%(bytes)s bytes) "
            "into %(folder)s; audit chain head %(head)s.", summary.files)
                          % {"engine": summary.engine, "files": summary.files,
                             "bytes": summary.bytes, "folder": summary.folder,
                             "head": summary.audit_head})
