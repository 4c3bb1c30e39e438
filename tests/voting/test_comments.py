import pytest
from django.urls import reverse

from sayembara.common.models import AuditEvent
from sayembara.voting.enums import CommentStatus
from sayembara.voting.errors import Refused
from sayembara.voting.models import Comment
from sayembara.voting.services.comments import moderate_comment, post_comment
from sayembara.voting.services.voters import voter_token
from tests import factories_public as f

pytestmark = pytest.mark.django_db


def test_post_comment_needs_a_verified_voter():
    entry = f.entry(f.public_edition())
    with pytest.raises(Refused, match="Confirm your e-mail"):
        post_comment(entry=entry, voter_id=f.voter(verified=False).pk, body="Bagus", ip=None)


def test_post_comment_too_long_says_the_limit():
    entry = f.entry(f.public_edition())
    with pytest.raises(Refused, match="2001 characters; at most 2000"):
        post_comment(entry=entry, voter_id=f.voter().pk, body="x" * 2001, ip=None)


def test_comment_appears_only_after_moderation(client):
    entry = f.entry(f.public_edition())
    citizen = f.voter()
    client.cookies["sayembara_voter"] = voter_token(citizen)
    response = client.post(reverse("public:comment", kwargs={"pk": entry.pk}),
                           {"body": "Layanan ini sangat membantu warga desa kami.",
                            "display_name": "Made"})
    assert response.status_code == 302
    page = client.get(reverse("public:entry", kwargs={"pk": entry.pk}))
    assert "sangat membantu" not in page.content.decode()
    comment = Comment.objects.get()
    moderate_comment(comment=comment, actor=None, publish=True)
    page = client.get(reverse("public:entry", kwargs={"pk": entry.pk}))
    assert "sangat membantu" in page.content.decode()
    assert "Made" in page.content.decode()
    with pytest.raises(Refused, match="Say why"):
        moderate_comment(comment=comment, actor=None, publish=False)
    moderate_comment(comment=comment, actor=None, publish=False, reason="Data pribadi.")
    assert Comment.objects.get().status == CommentStatus.HIDDEN
    assert AuditEvent.objects.filter(action="comment.moderated").count() == 2
