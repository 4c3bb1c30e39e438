"""What a participant puts into an entry besides its text: files, statements, self-assessment
claims, and the copies kept when two people edit the same draft."""

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sayembara.entries.enums import DocumentKind


def document_path(instance: "EntryDocument", filename: str) -> str:
    """Where an upload is stored under MEDIA_ROOT (never served directly).

    The name is random so it says nothing about the entry and cannot be guessed; the
    extension is the one of the type recognised from the content, not the one of the name.
    """
    suffix = f".{instance.file_type}" if instance.file_type else PurePosixPath(filename).suffix
    return f"entries/{instance.entry.edition_id}/{instance.entry_id}/{uuid.uuid4().hex}{suffix}"


class EntryDocument(models.Model):
    """A file uploaded for an entry: a document of the template, a signed statement or the
    evidence for a self-assessment item. ``slot`` is the template id of what it answers."""

    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    slot = models.CharField(_("for"), max_length=80)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    file_type = models.CharField(_("file type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    carried_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The year the document covers (e.g. last year's performance report), from the slot's
    # ``year_offset`` when it was uploaded; kept when the document is carried on.
    covers_year = models.PositiveSmallIntegerField(_("year covered"), null=True, blank=True)

    class Meta:
        ordering = ["entry", "kind", "slot", "uploaded_at"]
        verbose_name = _("entry document")
        verbose_name_plural = _("entry documents")
        indexes = [models.Index(fields=["entry", "kind", "slot"])]

    def __str__(self) -> str:
        return self.original_name


class StatementAffirmation(models.Model):
    """A required statement the participant affirmed by ticking it (no document asked)."""

    entry = models.ForeignKey(
        "entries.Entry", on_delete=models.CASCADE, related_name="affirmations"
    )
    statement = models.CharField(_("statement"), max_length=80)
    affirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    affirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "statement"], name="affirmation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.statement}"


class SelfAssessmentClaim(models.Model):
    """The evidence level a participant claims for one self-assessment item.

    ``level`` is the position of the claimed level in the criterion's list of evidence levels
    (0 = the lowest); ``score`` is that level's score, kept so the claim reads on its own.
    """

    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="claims")
    item = models.CharField(_("self-assessment item"), max_length=80)
    level = models.PositiveSmallIntegerField(_("level claimed"))
    label = models.CharField(_("level"), max_length=200)
    score = models.DecimalField(_("score of the level"), max_digits=9, decimal_places=3)
    note = models.TextField(_("explanation"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "item"], name="claim_unique")]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.item} = {self.label}"


class DraftCopy(models.Model):
    """Text that could not be saved over a newer version of the same draft.

    When two tabs (or two people) edit one draft, the later save does not overwrite the
    earlier: its text is kept here, both versions stay visible, and the participant chooses.
    """

    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="copies")
    data = models.JSONField()
    based_on_version = models.PositiveIntegerField()
    saved_over_version = models.PositiveIntegerField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("unsaved copy of a draft")
        verbose_name_plural = _("unsaved copies of drafts")

    def __str__(self) -> str:
        return f"{self.entry_id}: copy of version {self.based_on_version}"
