from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sayembara.voting.enums import CommentStatus


class Comment(models.Model):
    """A verified member of the public's comment on an entry, shown once moderated (its
    text and the name shown with it, both as they were sent)."""

    entry = models.ForeignKey("entries.Entry", on_delete=models.CASCADE, related_name="comments")
    voter = models.ForeignKey("voting.Voter", on_delete=models.PROTECT, related_name="comments")
    body = models.TextField(_("comment"))
    # The name shown with this comment, as it was sent: the organiser approves the name and
    # the text together, so a later change of name never shows on an approved comment.
    display_name = models.CharField(_("name shown with the comment"), max_length=80,
                                    blank=True)
    status = models.CharField(max_length=20, choices=CommentStatus.choices,
                              default=CommentStatus.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderation_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["entry", "status"])]

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.body[:40]}"
