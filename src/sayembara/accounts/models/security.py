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
