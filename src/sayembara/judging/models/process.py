"""The judging process around the scores: invitations, decisions, visits, slots, objections."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sayembara.judging.enums import (
    Decision,
    FeedbackKind,
    FieldFinding,
    InvitationStatus,
    RulingOutcome,
)


class Invitation(models.Model):
    """An e-mail inviting a judge to the jury (sent by a background task)."""

    judge = models.ForeignKey("judging.Judge", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    status = models.CharField(
        max_length=20, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} ({self.status})"


class StageClosing(models.Model):
    """The closing of a stage: when the engine ran and when the organiser confirmed the list.

    ``confirmed_at`` set means the penetapan is final: entries moved on or out, participants
    were notified and the stage's scores can no longer be corrected.
    """

    stage = models.OneToOneField(
        "competitions.Stage", on_delete=models.CASCADE, related_name="closing"
    )
    seed = models.BigIntegerField(default=0)
    computed_at = models.DateTimeField(null=True, blank=True)
    engine_version = models.CharField(max_length=40, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notes = models.TextField(_("notes for the minutes"), blank=True)
    # Entries closed with fewer judges than the others (a judge left them for a conflict of
    # interest and nobody took over): [{"entry": code, "left": [judge names]}], and the
    # organiser's written reason for closing anyway.
    fewer_judges = models.JSONField(default=list, blank=True)
    fewer_judges_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.stage_id} closed"


class StageDecision(models.Model):
    """A manual decision on one entry at a stage (penetapan), with its written reason.

    It is an input of the engine: the computed list shows it beside the rule it overrides.
    """

    stage = models.ForeignKey(
        "competitions.Stage", on_delete=models.CASCADE, related_name="decisions"
    )
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="decisions")
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices)
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stage", "entry"], name="stage_decision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.stage_id}: {self.entry_id} {self.decision}"


class TieOrder(models.Model):
    """The jury's order for entries that the tie-break chain left tied, with its reason.

    ``ranking`` is ``final`` for the final ranking, or the id of a special award. It is an
    input of the engine (the chain's ``recorded_decision`` step): order 1 comes first.
    """

    edition = models.ForeignKey(
        "competitions.Edition", on_delete=models.CASCADE, related_name="tie_orders"
    )
    ranking = models.CharField(_("ranking"), max_length=60, default="final")
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="+")
    order = models.PositiveIntegerField(_("order"))
    reason = models.TextField(_("reason"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["edition", "ranking", "entry"],
                                    name="tie_order_unique")
        ]

    def __str__(self) -> str:
        return f"{self.ranking}: {self.entry_id} #{self.order}"


class FieldVisit(models.Model):
    """A field verification visit to one entry (data for the signed minutes)."""

    stage = models.ForeignKey(
        "competitions.Stage", on_delete=models.CASCADE, related_name="field_visits"
    )
    entry = models.ForeignKey(
        "entries.Entry", on_delete=models.CASCADE, related_name="field_visits"
    )
    visited_on = models.DateField(_("date of the visit"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=300, blank=True)
    visitors = models.ManyToManyField("judging.Judge", blank=True, related_name="field_visits")
    received_by = models.CharField(_("received by (name and position)"), max_length=300,
                                   blank=True)
    findings = models.TextField(_("general findings"), blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["stage", "entry"], name="field_visit_unique")
        ]

    def __str__(self) -> str:
        return f"{self.stage_id}: {self.entry_id}"


class FieldCheck(models.Model):
    """One aspect of the checklist of a visit: whether the claim was proven on site."""

    visit = models.ForeignKey(FieldVisit, on_delete=models.CASCADE, related_name="checks")
    criterion = models.ForeignKey(
        "competitions.Criterion", on_delete=models.PROTECT, related_name="+"
    )
    finding = models.CharField(_("finding"), max_length=20, choices=FieldFinding.choices)
    note = models.TextField(_("what was seen"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["visit", "criterion"], name="field_check_unique")
        ]

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.criterion_id} {self.finding}"


class FieldEvidence(models.Model):
    """A photo or document taken as evidence during a visit."""

    visit = models.ForeignKey(FieldVisit, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.ForeignKey(
        "competitions.Criterion", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to="field-evidence/%Y/")
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.caption or self.file.name


class InterviewSlot(models.Model):
    """A presentation or interview slot of one entry at a stage."""

    stage = models.ForeignKey("competitions.Stage", on_delete=models.CASCADE, related_name="slots")
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    presentation_minutes = models.PositiveSmallIntegerField(default=0)
    questions_minutes = models.PositiveSmallIntegerField(default=0)
    room = models.CharField(_("room"), max_length=200, blank=True)
    link = models.URLField(_("video link"), blank=True)
    note = models.TextField(_("note for the participant"), blank=True)

    class Meta:
        ordering = ["stage", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "entry"], name="interview_slot_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def parts(self) -> str:
        """What the slot holds, leaving out a part of 0 minutes: "7 menit presentasi,
        13 menit tanya jawab" or "15 menit tanya jawab"."""
        from django.utils.translation import ngettext

        parts = []
        if self.presentation_minutes:
            parts.append(ngettext("%(n)s minute of presentation", "%(n)s minutes of presentation",
                                  self.presentation_minutes) % {"n": self.presentation_minutes})
        if self.questions_minutes:
            parts.append(ngettext("%(n)s minute of questions", "%(n)s minutes of questions",
                                  self.questions_minutes) % {"n": self.questions_minutes})
        return ", ".join(parts)


class Objection(models.Model):
    """Support for or an objection about a finalist sent during the uji publik window."""

    entry = models.ForeignKey(
        "entries.Entry", on_delete=models.CASCADE, related_name="public_feedback"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FeedbackKind.choices)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    text = models.TextField(_("message"))
    attachment = models.FileField(_("attachment"), upload_to="uji-publik/%Y/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(
        _("ruling"), max_length=20, choices=RulingOutcome.choices, default=RulingOutcome.PENDING
    )
    ruling = models.TextField(_("ruling and its reasons"), blank=True)
    ruled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ruled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["entry", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.entry_id} {self.name}"
