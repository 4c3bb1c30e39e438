from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from sayembara.entries.enums import ReferralStatus


class Referral(models.Model):
    """An entry its organiser put forward (usulkan) to an edition of another organiser, the
    next level's competition. The receiving organiser sees only what was put forward to
    them: this entry, its documents and its history, and decides; on acceptance a new draft
    entry is made in their edition (``accepted_entry``)."""

    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE,
                              related_name="referrals")
    to_edition = models.ForeignKey("competitions.Edition", on_delete=models.CASCADE,
                                   related_name="incoming_referrals")
    note = models.TextField(_("note for the receiving organiser"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices,
                              default=ReferralStatus.PENDING)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    accepted_entry = models.ForeignKey("entries.Entry", null=True, blank=True,
                                       on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("entry put forward")
        verbose_name_plural = _("entries put forward")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "to_edition"], name="referral_open_unique",
                condition=Q(status__in=["pending", "accepted"])),
        ]

    def __str__(self) -> str:
        return f"{self.entry_id} → {self.to_edition_id} ({self.status})"
