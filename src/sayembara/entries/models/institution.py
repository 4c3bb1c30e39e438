from django.db import models
from django.utils.translation import gettext_lazy as _


class Institution(models.Model):
    """An agency, kelurahan, desa, BUMD, hospital, school, ministry or service unit.

    The registry belongs to an organiser (tenant). ``parent`` builds the hierarchy used for
    Admin Lokal scopes and for automatic conflicts of interest.
    """

    organiser = models.ForeignKey(
        "competitions.Organiser", on_delete=models.CASCADE, related_name="institutions"
    )
    name = models.CharField(_("name"), max_length=300)
    kind = models.CharField(_("type"), max_length=40)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    region_code = models.CharField(_("Kemendagri region code"), max_length=20, blank=True)
    region_name = models.CharField(_("region"), max_length=200, blank=True)
    email = models.EmailField(_("contact e-mail"), blank=True)
    head_title = models.CharField(_("head of institution"), max_length=200, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        constraints = [
            models.UniqueConstraint(fields=["organiser", "name"], name="institution_name_unique")
        ]
        indexes = [models.Index(fields=["organiser", "kind"])]

    def __str__(self) -> str:
        return self.name
