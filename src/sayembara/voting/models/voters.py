from django.db import models
from django.utils.translation import gettext_lazy as _

from sayembara.voting.enums import CodeChannel


class Voter(models.Model):
    """A member of the public who proved they own an address (no password, no account).

    ``address`` is the normalised e-mail address (or phone number for an SMS or WhatsApp
    sender); ``domain`` is kept apart for the anomaly report (many voters from one domain).
    """

    channel = models.CharField(max_length=20, choices=CodeChannel.choices,
                               default=CodeChannel.EMAIL)
    address = models.CharField(_("address"), max_length=254)
    domain = models.CharField(max_length=254, blank=True, db_index=True)
    display_name = models.CharField(_("name shown with comments"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("voter")
        verbose_name_plural = _("voters")
        constraints = [
            models.UniqueConstraint(fields=["channel", "address"], name="voter_address_unique")
        ]

    def __str__(self) -> str:
        return self.address


class VoterCode(models.Model):
    """A one-time code sent to a voter; only its keyed hash is stored."""

    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["voter", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.voter_id} {self.created_at:%Y-%m-%d %H:%M}"
