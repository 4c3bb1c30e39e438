from django.db import models
from django.utils.translation import gettext_lazy as _


class BallotScope(models.TextChoices):
    """How many votes a voter has: one per category, or one for the whole edition."""

    CATEGORY = "category", _("One vote per category")
    OVERALL = "overall", _("One vote for the whole edition")


class BallotUse(models.TextChoices):
    """What the vote counts are for (the scoring engine reads the template; this is shown)."""

    FAVOURITE_PRIZE = "favourite", _("A separate favourite prize")
    WEIGHTED_STAGE = "stage", _("A weighted stage of the final score")


class CodeChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for moderation")
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by the organiser")
