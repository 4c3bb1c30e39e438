"""sayembara tally_votes [--edition SLUG]: count every open or recently closed favourite vote
and log the counts with a digest of the votes (run it from cron, e.g. every 10 minutes)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import ngettext

from sayembara.voting.models import Ballot
from sayembara.voting.services.votes import record_tally


class Command(BaseCommand):
    help = "Count favourite votes and log the counts with a digest of the votes."

    def add_arguments(self, parser):
        parser.add_argument("--edition", help="only this edition (its short name)")

    def handle(self, *args, **options):
        ballots = Ballot.objects.select_related("edition")
        if options["edition"]:
            ballots = ballots.filter(edition__slug=options["edition"])
            if not ballots.exists():
                raise CommandError(f"No favourite vote for an edition named "
                                   f"{options['edition']!r}; check the short name.")
        else:
            now = timezone.now()
            ballots = ballots.filter(opens_at__lte=now,
                                     closes_at__gte=now - dt.timedelta(days=1))
        for ballot in ballots:
            counts = record_tally(ballot=ballot, actor="cli:tally_votes")
            votes = sum(counts.values())
            self.stdout.write(f"{ballot.edition.slug}: " + ngettext(
                "%(count)s vote", "%(count)s votes", votes) % {"count": votes} + ", " + ngettext(
                "%(count)s entry", "%(count)s entries", len(counts)) % {"count": len(counts)})
