from typing import Any

from django.contrib.auth.models import AbstractUser, _user_has_perm
from django.db import models
from django.utils.translation import gettext_lazy as _

from sayembara.accounts.enums import Role


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships."""

    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username

    @property
    def display_name(self) -> str:
        return str(self)

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """What the user's roles allow, and nothing more.

        Django lets a superuser pass every check; here a superuser (made with
        ``sayembara createsuperuser``) is the platform administrator, who creates organisers
        but holds no key to their editions, entries or scores.
        """
        return self.is_active and _user_has_perm(self, perm, obj)


class Membership(models.Model):
    """A role held within a scope.

    - organiser: ``organiser`` (every competition of that organiser);
    - admin_lokal: ``institution`` (that institution and every unit below it), within
      ``organiser``;
    - operator: ``institution`` (its entries);
    - judge, field_verifier, auditor: ``edition``;
    - platform_admin: no scope (creates organisers and invites their secretariat).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organiser = models.ForeignKey(
        "competitions.Organiser", null=True, blank=True, on_delete=models.CASCADE,
        related_name="memberships",
    )
    edition = models.ForeignKey(
        "competitions.Edition", null=True, blank=True, on_delete=models.CASCADE,
        related_name="memberships",
    )
    institution = models.ForeignKey(
        "entries.Institution", null=True, blank=True, on_delete=models.CASCADE,
        related_name="memberships",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "organiser", "edition", "institution"],
                name="membership_unique",
                nulls_distinct=False,
            )
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        scope = self.edition or self.institution or self.organiser
        return f"{self.user} · {self.get_role_display()} · {scope}"
