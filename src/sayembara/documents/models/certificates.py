from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sayembara.documents.enums import BatchStatus


def _design_upload(instance, filename: str) -> str:
    return f"certificates/{instance.edition_id}/design/{filename}"


def _certificate_upload(instance, filename: str) -> str:
    return f"certificates/{instance.edition_id}/{filename}"


class CertificateDesign(models.Model):
    """The organiser-editable look and wording of an edition's certificates (piagam).

    ``wording`` may use the placeholders listed in ``services.certificates.PLACEHOLDERS``.
    ``signatories`` is a list of {"name", "title", "id_number"} (at most four).
    """

    edition = models.OneToOneField(
        "competitions.Edition", on_delete=models.CASCADE, related_name="certificate_design"
    )
    heading = models.CharField(_("heading"), max_length=120, default="PIAGAM PENGHARGAAN")
    wording = models.TextField(_("wording"))
    place_and_date = models.CharField(_("place and date"), max_length=200, blank=True)
    signatories = models.JSONField(_("signatories"), default=list, blank=True)
    logo = models.FileField(_("logo"), upload_to=_design_upload, blank=True)
    background = models.FileField(_("background image"), upload_to=_design_upload, blank=True)
    accent_color = models.CharField(_("accent colour"), max_length=7, default="#0b5cad")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.edition_id}: {self.heading}"



class CertificateBatch(models.Model):
    """One run generating every winner's certificate, with its progress and zip."""

    edition = models.ForeignKey(
        "competitions.Edition", on_delete=models.CASCADE, related_name="certificate_batches"
    )
    status = models.CharField(max_length=20, choices=BatchStatus.choices,
                              default=BatchStatus.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    archive = models.FileField(upload_to=_certificate_upload, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.edition_id} #{self.pk} {self.status}"

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0



class Certificate(models.Model):
    """One award's certificate. ``code`` is printed and in the QR code; anyone can check it."""

    edition = models.ForeignKey(
        "competitions.Edition", on_delete=models.CASCADE, related_name="certificates"
    )
    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE,
                              related_name="certificates")
    award_label = models.CharField(_("award"), max_length=200)
    recipient = models.CharField(_("recipient"), max_length=300)
    innovation_title = models.CharField(_("innovation"), max_length=300, blank=True)
    category_name = models.CharField(_("category"), max_length=200, blank=True)
    # The category or group the award was won in; empty for an award over all entries.
    award_unit = models.CharField(_("won in"), max_length=200, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    code = models.CharField(_("verification code"), max_length=20, unique=True)
    issued_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["edition", "category_name", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "award_label"],
                                    name="certificate_award_unique")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def award_title(self) -> str:
        """The award as people read it: ``Juara 1, Kategori Kelurahan``."""
        from sayembara.documents.selectors.awards import award_title

        return award_title(self.award_label, self.award_unit)
