from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sayembara.entries.enums import EntryState


class Entry(models.Model):
    """One institution's entry (proposal, self-assessment or performance file) in an edition.

    ``state`` changes only through ``services.entries.set_entry_state``.
    """

    edition = models.ForeignKey(
        "competitions.Edition", on_delete=models.CASCADE, related_name="entries"
    )
    institution = models.ForeignKey(
        "entries.Institution", on_delete=models.PROTECT, related_name="entries"
    )
    category = models.ForeignKey(
        "competitions.Category", on_delete=models.PROTECT, related_name="entries"
    )
    group = models.ForeignKey(
        "competitions.Group", null=True, blank=True, on_delete=models.PROTECT,
        related_name="entries",
    )
    code = models.CharField(_("entry number"), max_length=30)
    title = models.CharField(_("title"), max_length=300)
    innovators = models.TextField(_("innovators"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    # Proposal sections by their template key, e.g. {"summary": "...", "novelty": "..."}.
    proposal = models.JSONField(_("proposal"), default=dict, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    video_seconds = models.PositiveIntegerField(_("video length (seconds)"), null=True, blank=True)
    innovation_started_on = models.DateField(_("innovation in use since"), null=True, blank=True)
    state = models.CharField(
        _("status"), max_length=20, choices=EntryState.choices, default=EntryState.DRAFT
    )
    current_stage = models.ForeignKey(
        "competitions.Stage", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="current_entries",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    # Drafts edited from two tabs: a save must name the version it started from.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The entry this one was carried over from (e.g. a regional winner entered nationally).
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="carried_to",
        verbose_name=_("carried over from"),
    )

    class Meta:
        ordering = ["edition", "code"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="entry_code_unique")
        ]
        indexes = [
            models.Index(fields=["edition", "state"]),
            models.Index(fields=["edition", "category"]),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class EntryStateChange(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="state_changes")
    from_state = models.CharField(max_length=20, choices=EntryState.choices)
    to_state = models.CharField(max_length=20, choices=EntryState.choices)
    stage = models.ForeignKey(
        "competitions.Stage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    # A reason the system gives, as a code and parameters (see entries/reasons.py), so that
    # it is written in the reader's language; ``reason`` keeps what a person typed.
    reason_code = models.CharField(max_length=40, blank=True)
    reason_params = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.from_state} → {self.to_state}"

    @property
    def reason_text(self) -> str:
        from sayembara.entries.reasons import ENGINE, reason_text

        edition = self.entry.edition if self.reason_code == ENGINE else None
        return reason_text(self.reason_code, self.reason_params, self.reason, edition=edition)
