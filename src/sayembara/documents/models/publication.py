from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sayembara.documents.enums import Breakdown


class Publication(models.Model):
    """What the organiser chose to show the public about an edition's results."""

    edition = models.OneToOneField(
        "competitions.Edition", on_delete=models.CASCADE, related_name="publication"
    )
    results_published_at = models.DateTimeField(_("results published"), null=True, blank=True)
    finalists_published_at = models.DateTimeField(_("finalists published"), null=True,
                                                  blank=True)
    breakdown = models.CharField(_("score breakdown shown"), max_length=20,
                                 choices=Breakdown.choices, default=Breakdown.TOTAL)
    show_rank_intervals = models.BooleanField(_("show rank intervals of the finalists"),
                                              default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.edition_id}: {self.breakdown}"
