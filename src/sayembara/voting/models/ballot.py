from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sayembara.voting.enums import BallotScope, BallotUse


class Ballot(models.Model):
    """The favourite vote of an edition: its window, its scope and its candidates.

    Its rules (window, scope, candidates, limits) change only through
    ``services.ballots.update_ballot`` and are frozen from the moment voting opens.
    """

    edition = models.OneToOneField(
        "competitions.Edition", on_delete=models.CASCADE, related_name="ballot"
    )
    name = models.CharField(_("name"), max_length=200)
    opens_at = models.DateTimeField(_("voting opens"))
    closes_at = models.DateTimeField(_("voting closes"))
    scope = models.CharField(_("scope"), max_length=20, choices=BallotScope.choices,
                             default=BallotScope.CATEGORY)
    use = models.CharField(_("counts are used for"), max_length=20, choices=BallotUse.choices,
                           default=BallotUse.FAVOURITE_PRIZE)
    show_live_counts = models.BooleanField(_("show live counts to the public"), default=True)
    votes_per_ip_per_hour = models.PositiveIntegerField(
        _("votes accepted per address (IP) per hour"), default=30)
    votes_per_voter_per_minute = models.PositiveIntegerField(
        _("vote attempts per voter per minute"), default=10)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("favourite vote")
        verbose_name_plural = _("favourite votes")

    def __str__(self) -> str:
        return self.name


class BallotCandidate(models.Model):
    """An entry the public may vote for."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="candidates")
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="+")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["ballot", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "entry"], name="ballot_candidate_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.entry_id}"



class Vote(models.Model):
    """One vote. Append-only: counts are aggregated by query, never kept in a hot row.

    ``unit`` is the category id for a per-category ballot and 0 for an edition-wide one; the
    unique constraint on (ballot, voter, unit) is what makes a double vote impossible even
    for requests that arrive at the same instant. ``challenge`` is the proof-of-work
    challenge the vote spent; its unique constraint refuses a replayed solution.
    """

    # Every index costs each vote a B-tree insert, so the foreign keys rely on the composite
    # indexes below (which start with the ballot) instead of one index each. A database
    # foreign-key check would also take a shared lock on the parent rows in every vote's
    # transaction (the ballot and its entries are the same few rows for every vote), so the
    # references are guaranteed by ``cast_vote`` instead: the voter comes from a token the
    # server signed for an existing voter, the entry must be a candidate of the ballot, and
    # deletions go through the ORM's on_delete rules (voters and entries are protected).
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="votes",
                               db_index=False, db_constraint=False)
    voter = models.ForeignKey("voting.Voter", on_delete=models.PROTECT, related_name="votes",
                              db_index=False, db_constraint=False)
    entry = models.ForeignKey("entries.Entry", on_delete=models.PROTECT, related_name="votes",
                              db_index=False, db_constraint=False)
    unit = models.BigIntegerField()
    created_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    network = models.CharField(max_length=64, blank=True)
    challenge = models.CharField(max_length=64)
    voided_at = models.DateTimeField(null=True, blank=True)
    void_reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("vote")
        constraints = [
            models.UniqueConstraint(fields=["ballot", "voter", "unit"], name="vote_once_per_unit"),
            models.UniqueConstraint(fields=["challenge"], name="vote_challenge_unique"),
        ]
        indexes = [models.Index(fields=["ballot", "entry"])]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.entry_id}"



class VoteTally(models.Model):
    """Counts per entry written by the periodic aggregation (``tasks.tally_ballot``)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="tallies")
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="+")
    votes = models.PositiveIntegerField(default=0)
    counted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "entry"], name="vote_tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.votes}"
