from django.db import models
from django.utils.translation import gettext_lazy as _


class Breakdown(models.TextChoices):
    """How much of the score the public results page shows."""

    RANKS = "ranks", _("Ranks and awards only")
    TOTAL = "total", _("Ranks, awards and the final score")
    STAGES = "stages", _("Ranks, awards, the final score and every stage score")


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Generating")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
