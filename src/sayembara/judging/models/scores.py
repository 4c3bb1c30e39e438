from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sayembara.common.formats import score as score_text
from sayembara.judging.enums import SheetStatus


class RowJSONField(models.JSONField):
    """A JSONField inserted as one parameter per row by ``bulk_create``.

    On PostgreSQL Django inserts many rows through ``UNNEST`` of one array per column;
    psycopg then escapes every quote of every JSON text inside the array in Python, which
    takes seconds for the thousands of result rows of a national edition. A field that
    declares its own placeholder makes Django use plain multi-row ``VALUES`` instead.
    """

    def get_placeholder(self, value, compiler, connection):
        return "%s"


class ScoreSheet(models.Model):
    """One judge's scores for one entry at one stage (draft, then submitted and locked)."""

    stage = models.ForeignKey("competitions.Stage", on_delete=models.CASCADE, related_name="sheets")
    judge = models.ForeignKey("judging.Judge", on_delete=models.CASCADE, related_name="sheets")
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="sheets")
    status = models.CharField(max_length=20, choices=SheetStatus.choices, default=SheetStatus.DRAFT)
    comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Saves from two tabs must name the version they started from.
    version = models.PositiveIntegerField(default=1)
    # The page (a random token it sends with each save) that saved last: a page whose own
    # autosave moved the version on while its next request was on the way is not another tab.
    last_editor = models.CharField(max_length=32, blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score sheet")
        constraints = [
            models.UniqueConstraint(fields=["stage", "judge", "entry"], name="sheet_unique")
        ]
        indexes = [models.Index(fields=["stage", "entry"])]

    def __str__(self) -> str:
        return f"{self.stage_id}: {self.judge_id} → {self.entry_id}"


class Score(models.Model):
    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        "competitions.Criterion", on_delete=models.PROTECT, related_name="scores"
    )
    value = models.DecimalField(_("score"), max_digits=9, decimal_places=3, null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    # Checklist criteria: the ids of the items ticked (the engine turns them into the score;
    # ``value`` then only shows that score, rounded).
    checked = models.JSONField(_("items ticked"), default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["sheet", "criterion"], name="score_unique")
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"


class ScoreCorrection(models.Model):
    """A change to a submitted score: always with a reason (and an audit event)."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="corrections")
    old_value = models.DecimalField(max_digits=9, decimal_places=3, null=True)
    new_value = models.DecimalField(max_digits=9, decimal_places=3, null=True)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.old_value} → {self.new_value}"


class StageResult(models.Model):
    """What the engine computed for an entry at a stage (stored, never recomputed in views)."""

    stage = models.ForeignKey(
        "competitions.Stage", on_delete=models.CASCADE, related_name="results"
    )
    entry = models.ForeignKey(
        "entries.Entry", on_delete=models.CASCADE, related_name="stage_results"
    )
    score = models.DecimalField(max_digits=12, decimal_places=6, null=True)
    raw = models.DecimalField(max_digits=12, decimal_places=6, null=True)
    calibrated = models.DecimalField(max_digits=12, decimal_places=6, null=True)
    rank = models.PositiveIntegerField(null=True)
    rank_low = models.PositiveIntegerField(null=True)
    rank_high = models.PositiveIntegerField(null=True)
    p_top_n = models.DecimalField(max_digits=6, decimal_places=4, null=True)
    judges_count = models.PositiveSmallIntegerField(default=0)
    dispersion = models.DecimalField(max_digits=12, decimal_places=6, null=True)
    flagged = models.BooleanField(default=False)
    advanced = models.BooleanField(null=True)
    # Why the entry goes on or stops: the engine's reason code (no_quota, within_places, ...)
    # and its parameters, put into words in the reader's language when shown.
    reason_code = models.CharField(max_length=40, blank=True)
    reason_params = RowJSONField(default=dict, blank=True)
    details = RowJSONField(default=dict, blank=True)
    engine_version = models.CharField(max_length=40, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stage", "entry"], name="stage_result_unique")
        ]
        ordering = ["stage", "rank"]

    def __str__(self) -> str:
        return f"{self.stage_id}: {self.entry_id} #{self.rank}"

    @property
    def reason_text(self) -> str:
        """The engine's reason in the active language (categories and groups by name)."""
        from sayembara.judging.selectors.stage_figures import display_reason, unit_names

        if not self.reason_code:
            return ""
        return display_reason(self.reason_code, self.reason_params,
                              unit_names(self.stage.edition))

    def _shown(self, name: str, stored) -> str:
        return score_text(stored, ((self.details or {}).get("exact") or {}).get(name))

    @property
    def score_text(self) -> str:
        """The stage score as every page and document shows it (one rounding rule)."""
        return self._shown("score", self.score)

    @property
    def raw_text(self) -> str:
        return self._shown("raw", self.raw)

    @property
    def calibrated_text(self) -> str:
        return self._shown("calibrated", self.calibrated)

    @property
    def selection_text(self) -> str:
        """What the stage ranks by: its own score at a filter stage, the running total of
        the weighted stages so far at a weighted one."""
        return self._shown("selection", (self.details or {}).get("selection", self.score))


class FinalResult(models.Model):
    edition = models.ForeignKey(
        "competitions.Edition", on_delete=models.CASCADE, related_name="final_results"
    )
    entry = models.OneToOneField("entries.Entry", on_delete=models.CASCADE, related_name="final")
    category = models.ForeignKey(
        "competitions.Category", on_delete=models.CASCADE, related_name="+"
    )
    rank = models.PositiveIntegerField(null=True)
    total = models.DecimalField(max_digits=12, decimal_places=6, null=True)
    award_tier = models.ForeignKey(
        "competitions.AwardTier", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    award_label = models.CharField(max_length=200, blank=True)
    prize = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    details = RowJSONField(default=dict, blank=True)
    engine_version = models.CharField(max_length=40, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["edition", "category", "rank"]

    def __str__(self) -> str:
        return f"{self.entry_id} #{self.rank}"

    @property
    def total_text(self) -> str:
        """The final total as every page and document shows it (one rounding rule)."""
        return score_text(self.total, (self.details or {}).get("exact_total"))
