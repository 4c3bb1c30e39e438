from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """A key for the organiser's API (``/api/v1/organiser/``), belonging to one organiser.

    The token itself is shown once, when it is created; only its SHA-256 ``digest`` is kept
    (a token is 256 random bits, so a slow password hash would add nothing). ``prefix`` is its
    first characters, shown on the tokens page so a person can tell which one a log names.
    A token reaches only its organiser's data, with its ``scopes``, until it expires or is
    revoked, and only while the person who created it is still one of the organiser's people.
    """

    organiser = models.ForeignKey("competitions.Organiser", on_delete=models.CASCADE,
                                  related_name="api_tokens")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                   related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def scope_labels(self) -> list[str]:
        from sayembara.accounts.enums import TokenScope

        return [str(TokenScope(scope).label) for scope in self.scopes
                if scope in TokenScope.values]
