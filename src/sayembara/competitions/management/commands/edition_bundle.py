"""``sayembara edition_bundle SLUG --out DIR``: an edition's recomputable results bundle."""

from __future__ import annotations

import getpass
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from sayembara.competitions.models import Edition
from sayembara.judging.services.bundle import export_edition_bundle
from sayembara.judging.services.errors import JudgingError


class Command(BaseCommand):
    @property
    def help(self) -> str:  # translated when shown (argparse needs a plain string)
        return _("Write an edition's results bundle: its rules, the scores, judges, votes "
                 "and decisions the results were computed from, the results and a SHA-256 "
                 "manifest. Check it with: sayembara bundle verify DIR.")

    def add_arguments(self, parser):
        parser.add_argument("slug", metavar="SLUG",
                            help=_("The edition's short name (sayembara edition list)."))
        parser.add_argument("--out", required=True, type=Path, metavar="DIR",
                            help=_("A new or empty folder for the bundle."))
        parser.add_argument("--keep-judge-names", action="store_true",
                            help=_("Keep the judges' names instead of stable pseudonyms "
                                   "(J01, J02, ...)."))
        parser.add_argument("--seed", type=int, metavar="N",
                            help=_("Random seed of the bootstrap (default: the seed the "
                                   "stored results used)."))
        parser.add_argument("--bootstrap", type=int, metavar="B",
                            help=_("Bootstrap replicates for rank intervals (default: as "
                                   "many as the stored results used; 0 for none)."))

    def handle(self, *args, **options):
        slug = options["slug"]
        edition = Edition.objects.filter(slug=slug).first()
        if edition is None:
            raise CommandError(_("There is no edition with the short name %(slug)s; "
                                 "sayembara edition list shows the editions.")
                               % {"slug": slug})
        if options["bootstrap"] is not None and options["bootstrap"] < 0:
            raise CommandError(_("--bootstrap %(value)s is not 0 or more.")
                               % {"value": options["bootstrap"]})
        try:
            data = export_edition_bundle(
                edition=edition, out_dir=options["out"],
                keep_judge_names=options["keep_judge_names"], seed=options["seed"],
                bootstrap=options["bootstrap"], actor=f"cli:{getpass.getuser()}")
        except (FileExistsError, JudgingError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            _("Bundle of %(edition)s written to %(path)s (engine %(version)s, seed %(seed)s, "
              "complete: %(complete)s). Check it with: sayembara bundle verify %(path)s")
            % {"edition": edition.title, "path": options["out"],
               "version": data["engine_version"], "seed": data["seed"],
               "complete": data["complete"]})
