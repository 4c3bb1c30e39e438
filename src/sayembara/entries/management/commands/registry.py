"""``sayembara registry import FILE --organiser SLUG [--edition SLUG] [--commit]``.

Checks an institution registry (and, with title and category columns, its entries) from an
.xlsx or .csv file and reports every problem by file, line, column and value. Without
``--commit`` nothing is written (a dry run that still runs every check).
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara.competitions.models import Edition, Organiser
from sayembara.entries.services.registry import RegistryImportError, import_registry


class Command(BaseCommand):
    help = "Import the institution registry (and entries) from an .xlsx or .csv file."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser("import", help="Check and (with --commit) import a file.")
        load.add_argument("file", type=Path)
        load.add_argument("--organiser", required=True, help="The organiser's short name.")
        load.add_argument("--edition", default="",
                          help="Short name of the edition that receives the entries.")
        load.add_argument("--commit", action="store_true",
                          help="Write the data; without it nothing is written.")

    def handle(self, *args, **options):
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path} does not exist or is not a file.")
        organiser = Organiser.objects.filter(slug=options["organiser"]).first()
        if organiser is None:
            known = ", ".join(Organiser.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No organiser has the short name {options['organiser']!r} "
                               f"(known: {known}).")
        edition = None
        if options["edition"]:
            edition = Edition.objects.filter(slug=options["edition"],
                                             organiser=organiser).first()
            if edition is None:
                raise CommandError(f"{organiser.name} has no edition with the short name "
                                   f"{options['edition']!r}.")
        with path.open("rb") as stream:
            try:
                summary = import_registry(stream=stream, filename=path.name,
                                          organiser=organiser, edition=edition,
                                          actor="cli:registry", commit=options["commit"])
            except RegistryImportError as error:
                for problem in error.problems:
                    self.stderr.write(str(problem))
                if error.total > len(error.problems):
                    more = error.total - len(error.problems)
                    self.stderr.write(ngettext("... and %(count)s more problem.",
                                               "... and %(count)s more problems.", more)
                                      % {"count": more})
                raise CommandError(ngettext(
                    "%(count)s problem; nothing was imported.",
                    "%(count)s problems; nothing was imported.", error.total)
                    % {"count": error.total}) from error
        self.stdout.write(summary.sentence())
        if not summary.committed:
            self.stdout.write(_("Run again with --commit to write."))
