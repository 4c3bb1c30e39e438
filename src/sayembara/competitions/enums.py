from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeZone(models.TextChoices):
    WIB = "WIB", _("WIB (UTC+7)")
    WITA = "WITA", _("WITA (UTC+8)")
    WIT = "WIT", _("WIT (UTC+9)")


ZONEINFO_NAMES = {
    TimeZone.WIB: "Asia/Jakarta",
    TimeZone.WITA: "Asia/Makassar",
    TimeZone.WIT: "Asia/Jayapura",
}


class EditionStatus(models.TextChoices):
    DRAFT = "draft", _("Being prepared")
    OPEN = "open", _("Open for entries")
    JUDGING = "judging", _("Judging")
    FINISHED = "finished", _("Results decided")
    PUBLISHED = "published", _("Results published")


class StageKind(models.TextChoices):
    FILTER = "filter", _("Filter (decides who goes on)")
    WEIGHTED = "weighted", _("Weighted (adds to the total)")


class StageStatus(models.TextChoices):
    PENDING = "pending", _("Not started")
    OPEN = "open", _("Scoring")
    CLOSED = "closed", _("Closed")


class AssignmentMode(models.TextChoices):
    """How a stage's entries were given to its judges; it decides what a conflict of
    interest does (see ``judging.services.conflicts.declare_conflict``)."""

    #: Each entry has its own judges (balanced or by hand): a judge with a conflict is
    #: replaced by a free judge.
    ASSIGNED = "assigned", _("Judges assigned per entry")
    #: The whole panel scores every entry: a judge with a conflict recuses, and the entry
    #: is scored by the other members.
    EVERYONE = "everyone", _("Every judge scores every entry")


class CriterionKind(models.TextChoices):
    NUMERIC = "numeric", _("Numeric score")
    ORDINAL = "ordinal", _("Evidence levels")
    CHECKLIST = "checklist", _("Checklist")
