from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sayembara.judging.enums import ConflictKind, JuryRole, Unsur


class Judge(models.Model):
    """A person on an edition's jury, evaluation team or field-verification team."""

    edition = models.ForeignKey(
        "competitions.Edition", on_delete=models.CASCADE, related_name="judges"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="judge_seats",
    )
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    unsur = models.CharField(
        _("unsur"), max_length=20, choices=Unsur.choices, default=Unsur.LAINNYA
    )
    # The judge's own institution when it is in the registry: drives automatic conflicts.
    institution = models.ForeignKey(
        "entries.Institution", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=JuryRole.choices, default=JuryRole.ANGGOTA
    )
    pledge_accepted_at = models.DateTimeField(_("integrity pledge accepted"), null=True, blank=True)

    class Meta:
        ordering = ["edition", "name"]
        verbose_name = _("judge")
        verbose_name_plural = _("judges")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "user"], name="judge_user_unique",
                condition=models.Q(user__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Panel(models.Model):
    """A group of judges scoring one stage (evaluation team, independent panel, jury)."""

    stage = models.ForeignKey("competitions.Stage", on_delete=models.CASCADE, related_name="panels")
    name = models.CharField(_("name"), max_length=200)
    members = models.ManyToManyField(Judge, through="PanelMember", related_name="panels")

    class Meta:
        ordering = ["stage", "name"]
        verbose_name = _("panel")

    def __str__(self) -> str:
        return self.name


class PanelMember(models.Model):
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE)
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE)
    role = models.CharField(max_length=20, choices=JuryRole.choices, default=JuryRole.ANGGOTA)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["panel", "judge"], name="panel_member_unique")
        ]

    def __str__(self) -> str:
        return f"{self.judge_id} @ {self.panel_id} ({self.role})"


class Assignment(models.Model):
    """A judge is to score an entry at a stage."""

    stage = models.ForeignKey(
        "competitions.Stage", on_delete=models.CASCADE, related_name="assignments"
    )
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="assignments")
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="assignments")
    is_extra_reviewer = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment")
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "judge", "entry"], name="assignment_unique"
            )
        ]
        indexes = [models.Index(fields=["stage", "entry"])]

    def __str__(self) -> str:
        return f"{self.stage_id}: {self.judge_id} → {self.entry_id}"


class ReviewerWithdrawal(models.Model):
    """An assigned judge who left an entry at a stage (a conflict of interest), and the
    judge who took the entry over; ``replacement`` stays empty when nobody was free."""

    stage = models.ForeignKey(
        "competitions.Stage", on_delete=models.CASCADE, related_name="withdrawals"
    )
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="+")
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="withdrawals")
    replacement = models.ForeignKey(
        Judge, null=True, blank=True, on_delete=models.SET_NULL, related_name="replacements"
    )
    extra_reviewer = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["stage", "entry"])]

    def __str__(self) -> str:
        return f"{self.stage_id}: {self.judge_id} ✕ {self.entry_id} → {self.replacement_id}"


class Conflict(models.Model):
    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="conflicts")
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="conflicts")
    kind = models.CharField(max_length=20, choices=ConflictKind.choices)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("conflict of interest")
        constraints = [
            models.UniqueConstraint(fields=["judge", "entry"], name="conflict_unique")
        ]

    def __str__(self) -> str:
        return f"{self.judge_id} × {self.entry_id} ({self.kind})"
