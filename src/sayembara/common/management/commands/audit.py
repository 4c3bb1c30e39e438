from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sayembara.common.services.audit import verify_chain


class Command(BaseCommand):
    help = "Work with the hash-chained audit log: `audit verify` checks every link."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, **options):
        report = verify_chain()
        if report.ok:
            self.stdout.write(_("Audit chain intact: %(count)s events checked.")
                              % {"count": report.checked})
            return
        raise CommandError(
            _("Audit chain broken at event %(seq)s: %(problem)s (%(count)s events before it "
              "are intact).") % {"seq": report.broken_at, "problem": report.problem,
                                 "count": report.checked}
        )
