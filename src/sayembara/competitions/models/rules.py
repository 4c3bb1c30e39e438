"""Rows materialised from an edition's rules (see ``Edition.rules``)."""

from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sayembara.competitions.enums import AssignmentMode, CriterionKind, StageKind, StageStatus
from sayembara.competitions.models.edition import Edition


class Category(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="categories")
    key = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    institution_types = models.JSONField(_("institution types allowed"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.UniqueConstraint(fields=["edition", "key"], name="category_key_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """umum / replikasi / khusus / outstanding: a group may be reserved for past winners."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="groups")
    key = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    reserved_for = models.JSONField(_("reserved for"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [models.UniqueConstraint(fields=["edition", "key"], name="group_key_unique")]

    def __str__(self) -> str:
        return self.name


class Rubric(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="rubrics")
    key = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=200)
    missing_policy = models.CharField(_("missing criterion"), max_length=20, blank=True)

    class Meta:
        ordering = ["key"]
        verbose_name = _("rubric")
        verbose_name_plural = _("rubrics")
        constraints = [models.UniqueConstraint(fields=["edition", "key"], name="rubric_key_unique")]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=CriterionKind.choices, default=CriterionKind.NUMERIC
    )
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=3)
    min_score = models.DecimalField(_("lowest score"), max_digits=9, decimal_places=3)
    max_score = models.DecimalField(_("highest score"), max_digits=9, decimal_places=3)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "key"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["rubric", "key"], name="criterion_key_unique")
        ]

    def __str__(self) -> str:
        return self.name


class CriterionLevel(models.Model):
    """A level descriptor, or an evidence level of an ordinal criterion."""

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="levels")
    value = models.DecimalField(_("score"), max_digits=9, decimal_places=3)
    label = models.CharField(_("label"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    evidence = models.TextField(_("evidence that proves it"), blank=True)

    class Meta:
        ordering = ["criterion", "value"]

    def __str__(self) -> str:
        return f"{self.criterion} {self.value} {self.label}"


class Stage(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="stages")
    key = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=20, choices=StageKind.choices)
    weight = models.DecimalField(_("weight"), max_digits=7, decimal_places=3, default=0)
    source = models.CharField(_("scored by"), max_length=30, default="judges")
    can_only_lower = models.BooleanField(_("can only lower the score"), default=False)
    blind = models.BooleanField(_("participant identity hidden from judges"), default=False)
    judges_see_others = models.BooleanField(
        _("judges see other judges' scores before closing"), default=False
    )
    starts_at = models.DateTimeField(_("opens"), null=True, blank=True)
    ends_at = models.DateTimeField(_("closes"), null=True, blank=True)
    # The stage's rules as written in the template (aggregation, advancement, ...), for display.
    settings = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=StageStatus.choices, default=StageStatus.PENDING
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    #: Set by the automatic assignment the secretariat runs on the panel page.
    assignment_mode = models.CharField(
        _("assignment mode"), max_length=20, choices=AssignmentMode.choices,
        default=AssignmentMode.ASSIGNED,
    )

    class Meta:
        ordering = ["edition", "order"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        constraints = [models.UniqueConstraint(fields=["edition", "key"], name="stage_key_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def scale(self) -> Decimal:
        """The highest score of the stage: its rubrics' points (100 unless they declare
        their own, such as 700), read from the edition's rules."""
        return scale_of_stage(self.edition.rules or {}, self.key)

    @property
    def scale_label(self) -> str:
        """"of 700" beside a score of a stage scored in its own points; empty on 0..100."""
        return scale_label(self.scale)

    @property
    def whole_panel(self) -> bool:
        """Every judge of the stage scores every entry (a conflict is a recusal)."""
        return self.assignment_mode == AssignmentMode.EVERYONE

    def rubric_for(self, category_id: int | None) -> "Rubric | None":
        """The rubric variant used for entries of a category (or the stage's default)."""
        links = {link.category_id: link.rubric for link in self.rubric_links.all()}
        return links.get(category_id) or links.get(None)


class StageRubric(models.Model):
    """Which rubric a stage uses for a category; ``category`` empty means every other one."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="rubric_links")
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE)
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="stage_links")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "category"], name="stage_rubric_unique", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.category or '*'} {self.rubric}"


class AwardTier(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="award_tiers")
    key = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=200)
    rank_from = models.PositiveSmallIntegerField(_("from rank"), null=True, blank=True)
    rank_to = models.PositiveSmallIntegerField(_("to rank"), null=True, blank=True)
    trophy = models.BooleanField(_("trophy"), default=False)
    certificate = models.BooleanField(_("certificate"), default=True)
    prize = models.DecimalField(_("prize (Rp)"), max_digits=14, decimal_places=2, default=0)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "rank_from"]
        verbose_name = _("award tier")
        verbose_name_plural = _("award tiers")
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "key", "category"], name="award_tier_unique",
                nulls_distinct=False,
            )
        ]

    def __str__(self) -> str:
        return self.name


HUNDRED = Decimal(100)


def scale_of_stage(rules: dict[str, Any], stage_key: str) -> Decimal:
    """The scale of a stage's scores in rules data: its rubrics' ``scale`` (100 by default;
    the rubrics of one stage share it)."""
    stage = next((s for s in rules.get("stages") or () if s.get("id") == stage_key), None)
    if stage is None:
        return HUNDRED
    used = {stage.get("rubric")}
    by_category = stage.get("rubric_by_category") or {}
    used |= set(by_category.values() if isinstance(by_category, dict)
                else (item.get("rubric") for item in by_category))
    for rubric in rules.get("rubrics") or ():
        if rubric.get("id") in used and rubric.get("scale") not in (None, 100):
            return Decimal(str(rubric["scale"]))
    return HUNDRED


def final_scale_of(rules: dict[str, Any]) -> Decimal:
    """The scale of the final score: the weighted stages' (else the last stage's)."""
    stages = rules.get("stages") or ()
    weighted = [s for s in stages if s.get("kind") == "weighted"]
    for stage in weighted or list(stages)[-1:]:
        return scale_of_stage(rules, stage.get("id"))
    return HUNDRED


def scale_label(scale: Decimal) -> str:
    """"of 700" for a score in a rubric's own points; empty for the usual 0..100."""
    if scale == HUNDRED:
        return ""
    from sayembara.common.formats import number

    return gettext("of %(scale)s") % {"scale": number(scale, 0) if scale == scale.to_integral()
                                      else number(scale, 3)}
