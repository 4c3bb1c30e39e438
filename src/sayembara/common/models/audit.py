from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One state change, linked to the one before it by a SHA-256 hash.

    ``hash`` covers every other column plus ``prev_hash``, so editing, deleting, reordering
    or inserting a row breaks the chain at that point (see ``services.audit.verify_chain``).
    ``seal`` is an HMAC of ``hash`` under a key derived from ``SECRET_KEY``, which lives
    outside the database: someone who can only write to the database cannot append or
    re-chain events that verify. Signed checkpoints (``AuditCheckpoint``) anchor the chain
    against someone who holds that key too. Rows are only ever appended through
    ``services.audit.record_event``.
    """

    seq = models.PositiveBigIntegerField(unique=True)
    created_at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # Who acted, as text, so the event stays readable after the account is gone
    # ("system", "cli:root", a user's e-mail).
    actor_label = models.CharField(max_length=200)
    action = models.CharField(max_length=100)
    object_type = models.CharField(max_length=100)
    object_id = models.CharField(max_length=64)
    edition_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    seal = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """The newest link of the chain, kept apart so that removing the last events shows."""

    singleton = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return f"head #{self.seq}"


class AuditCheckpoint(models.Model):
    """A copy of a signed checkpoint written by ``sayembara audit checkpoint``.

    The signed file itself is kept outside the database and published; this row lets the
    organiser's pages show the newest checkpoints. ``text`` is the file byte for byte, so a
    row can be checked against the public key like the file.
    """

    seq = models.PositiveBigIntegerField()
    head_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    key_id = models.CharField(max_length=32)
    text = models.TextField()

    class Meta:
        ordering = ["-seq", "-created_at"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"checkpoint #{self.seq}"
