"""Copies of entry documents prepared for judges of blind stages."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def redacted_path(instance: "RedactedDocument", filename: str) -> str:
    """Where a redacted copy is stored under MEDIA_ROOT (never served directly); a random
    name that says nothing about the entry."""
    entry = instance.document.entry
    return f"redacted/{entry.edition_id}/{entry.pk}/{uuid.uuid4().hex}.{instance.file_type}"


class RedactedDocument(models.Model):
    """A copy of an entry's document with the participant's identity covered, uploaded by
    the secretariat. Judges who meet the entry only at blind stages read this copy instead
    of the original; everyone else reads the original."""

    document = models.OneToOneField(
        "entries.EntryDocument", on_delete=models.CASCADE, related_name="redacted"
    )
    file = models.FileField(_("file"), upload_to=redacted_path, max_length=300)
    file_type = models.CharField(_("file type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("redacted copy of a document")
        verbose_name_plural = _("redacted copies of documents")

    def __str__(self) -> str:
        return f"{self.document_id} (redacted)"
