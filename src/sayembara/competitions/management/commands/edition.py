"""``sayembara edition create ...`` and ``sayembara edition list``."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara.common.management.actions import ActionCommand
from sayembara.common.timefmt import format_datetime
from sayembara.competitions.models import Edition
from sayembara.competitions.services.editions import (
    EditionError,
    create_edition,
    get_or_create_organiser,
)
from sayembara.template_format import TemplateError, load_template
from sayembara.template_format.blank import BLANK, blank_template


class Command(ActionCommand):
    help = "Create an edition from a competition template, or list the editions."

    def actions(self):
        return [
            ("create", _("Create the edition of a template for a year."),
             _("Create the edition of a template for a year; the template's dates move to that "
               "year. Refused when the competition already has an edition that year.")),
            ("list", _("List the editions."), ""),
        ]

    def add_create_arguments(self, create):
        create.add_argument("--template", required=True, metavar="NAME|FILE",
                            help=_("A built-in template name (sayembara template list), "
                                   "kosong for a blank template, or a template file."))
        create.add_argument("--year", required=True, type=int, metavar="YYYY",
                            help=_("The year of the edition."))
        create.add_argument("--organiser", required=True, metavar="NAME",
                            help=_("The organising body; created when it does not exist yet."))
        create.add_argument("--competition", metavar="NAME",
                            help=_("The name of the organiser's own competition, without the "
                                   "year (default: the template's competition)."))
        create.add_argument("--title", help=_("The edition's title (default: the template's "
                                              "title for that year)."))
        self.add_time_zone(create, help_text=_("WIB, WITA or WIT (default: the template's)."))

    def do_create(self, options):
        year = options["year"]
        if not 2000 <= year <= 2100:
            raise CommandError(_("--year %(year)s is not a year between 2000 and 2100.")
                               % {"year": year})
        try:
            if options["template"] == BLANK:
                if not options.get("competition"):
                    raise CommandError(_("A blank template needs --competition NAME."))
                template = blank_template(competition=options["competition"],
                                          organiser=options["organiser"], year=year,
                                          time_zone=options.get("time_zone") or "WIB")
            else:
                template = load_template(options["template"])
        except TemplateError as error:
            for problem in error.problems:
                self.stderr.write(problem.format(error.source))
            raise CommandError(ngettext(
                "The template has %(count)d problem; nothing was created.",
                "The template has %(count)d problems; nothing was created.",
                len(error.problems)) % {"count": len(error.problems)}) from None
        actor = self.actor()
        time_zone = options.get("time_zone")
        try:
            with transaction.atomic():
                organiser = get_or_create_organiser(
                    name=options["organiser"], actor=actor,
                    timezone_code=time_zone or template.time_zone,
                )
                edition = create_edition(template=template, year=year, organiser=organiser,
                                         actor=actor, title=options.get("title") or None,
                                         time_zone=time_zone,
                                         competition_name=options.get("competition"))
        except EditionError as error:
            raise CommandError(str(error)) from None
        categories, stages, rubrics = (edition.categories.count(), edition.stages.count(),
                                       edition.rubrics.count())
        self.stdout.write(
            _("Created %(title)s (%(slug)s) for %(organiser)s: %(categories)s, %(stages)s, "
              "%(rubrics)s; submissions close %(deadline)s.")
            % {
                "title": edition.title, "slug": edition.slug, "organiser": organiser.name,
                "categories": ngettext("%(count)s category", "%(count)s categories",
                                       categories) % {"count": categories},
                "stages": ngettext("%(count)s stage", "%(count)s stages", stages)
                % {"count": stages},
                "rubrics": ngettext("%(count)s rubric", "%(count)s rubrics", rubrics)
                % {"count": rubrics},
                "deadline": format_datetime(edition.submission_deadline, edition),
            }
        )
        self.stdout.write(_("Set it up at /penyelenggaraan/%(slug)s/aturan/.")
                          % {"slug": edition.slug})

    def do_list(self, options):
        editions = list(
            Edition.objects.select_related("organiser")
            .annotate(entry_count=Count("entries"))
            .order_by("-year", "title")
        )
        if not editions:
            self.stdout.write(_("No editions yet. Create one with: sayembara edition create "
                                "--template NAME --year YYYY --organiser NAME"))
            return
        rows = [(_("SLUG"), _("YEAR"), _("TITLE"), _("ORGANISER"), _("STATUS"), _("ENTRIES"),
                 _("RULES"))]
        for edition in editions:
            rows.append((
                edition.slug, str(edition.year), edition.title, edition.organiser.name,
                str(edition.get_status_display()), str(edition.entry_count),
                _("frozen") if edition.rules_frozen else _("open"),
            ))
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths,
                                                                                  strict=True))
                              .rstrip())
