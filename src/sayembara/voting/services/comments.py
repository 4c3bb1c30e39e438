"""Comments of verified members of the public on entries, moderated by the organiser."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sayembara.common.services.audit import record_event
from sayembara.entries.models import Entry
from sayembara.voting.enums import CommentStatus
from sayembara.voting.errors import Refused
from sayembara.voting.models import Comment, Voter
from sayembara.voting.services import ratelimit

MAX_COMMENT_CHARS = 2000


def post_comment(*, entry: Entry, voter_id: int | None, body: str, ip: str | None,
                 display_name: str = "") -> Comment:
    """Hold a comment for moderation. Only verified voters may comment.

    The name to show is stored with the comment and moderated with it: a voter whose first
    comment was approved cannot put a new, unread name on it by sending a second comment
    (the name shows only on the comment it was sent with, once that one is approved).
    """
    voter = Voter.objects.filter(pk=voter_id, verified_at__isnull=False).first() \
        if voter_id else None
    if voter is None:
        raise Refused(_("Confirm your e-mail address before commenting: ask for a code and "
                        "type it in."), status=403)
    text = (body or "").strip()
    if not text:
        raise Refused(_("The comment is empty. Write what you think of this innovation."))
    if len(text) > MAX_COMMENT_CHARS:
        raise Refused(_("The comment has %(count)s characters; at most %(limit)s are allowed. "
                        "Shorten it and send it again.")
                      % {"count": len(text), "limit": MAX_COMMENT_CHARS})
    ratelimit.hit(f"comment-voter:{voter.pk}", limit=5, window=600)
    ratelimit.hit(f"comment-ip:{ip}", limit=30, window=3600)
    name = " ".join(display_name.split())[:80]
    if name and name != voter.display_name:
        # Remembered to fill in the next comment's form; what is shown is the comment's own.
        voter.display_name = name
        voter.save(update_fields=["display_name"])
    return Comment.objects.create(entry=entry, voter=voter, body=text, display_name=name)


@transaction.atomic
def moderate_comment(*, comment: Comment, actor: Any, publish: bool, reason: str = "") -> Comment:
    """Publish or hide a comment; hiding needs a reason the commenter could be told."""
    if not publish and not reason.strip():
        raise Refused(_("Say why the comment is hidden (for example: insults, personal data, "
                        "advertising)."))
    before = comment.status
    comment.status = CommentStatus.PUBLISHED if publish else CommentStatus.HIDDEN
    comment.moderated_at = timezone.now()
    comment.moderated_by = actor if getattr(actor, "pk", None) else None
    comment.moderation_reason = reason.strip()
    comment.save(update_fields=["status", "moderated_at", "moderated_by", "moderation_reason"])
    record_event(actor=actor, action="comment.moderated", obj=comment,
                 edition_id=comment.entry.edition_id, before={"status": before},
                 after={"status": comment.status}, reason=reason.strip())
    return comment
