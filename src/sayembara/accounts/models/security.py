from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TOTPDevice(models.Model):
    """A time-based one-time-password authenticator app (RFC 6238) bound to a user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device"
    )
    secret = models.CharField(max_length=64)
    confirmed = models.BooleanField(default=False)
    # The last time step accepted, so a code cannot be replayed.
    last_counter = models.BigIntegerField(default=-1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("authenticator app")

    def __str__(self) -> str:
        return f"TOTP {self.user}"


class RecoveryCode(models.Model):
    """A one-time code that stands in for the authenticator app (a lost phone).

    Only a salted hash is kept; the codes are shown once, when they are made."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=128)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recovery code")
        indexes = [models.Index(fields=["user", "used_at"])]

    def __str__(self) -> str:
        return f"recovery code of {self.user_id}"
