"""Moderation bypass: a new display name is moderated with the comment it came with."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sayembara.voting.models import Comment
from sayembara.voting.services.comments import moderate_comment
from sayembara.voting.services.voters import voter_token
from tests import factories_public as f

pytestmark = pytest.mark.django_db


def _shown(client, entry) -> list[tuple[str, str]]:
    """(text, name) of every comment shown on the entry's public page."""
    page = client.get(reverse("public:entry", kwargs={"pk": entry.pk})).content.decode()
    return [(body.strip(), name.strip()) for body, name in re.findall(
        r'<article class="card"><p>(.*?)</p><p class="small muted">(.*?) · ', page)]


def test_a_second_comment_cannot_rename_an_approved_one(client, settings):
    f.reset_public_state(settings)
    entry = f.entry(f.public_edition())
    citizen = f.voter()
    client.cookies["sayembara_voter"] = voter_token(citizen)
    url = reverse("public:comment", kwargs={"pk": entry.pk})
    client.post(url, {"body": "Layanan ini membantu warga.", "display_name": "Made"})
    moderate_comment(comment=Comment.objects.get(), actor=None, publish=True)
    assert _shown(client, entry) == [("Layanan ini membantu warga.", "Made")]

    # The probe: a second comment with an insulting name, still waiting for moderation.
    client.post(url, {"body": "Komentar kedua.", "display_name": "Nama Hinaan"})
    assert _shown(client, entry) == [("Layanan ini membantu warga.", "Made")]

    second = Comment.objects.get(body="Komentar kedua.")
    assert second.display_name == "Nama Hinaan"
    moderate_comment(comment=second, actor=None, publish=False, reason="Nama menghina.")
    assert _shown(client, entry) == [("Layanan ini membantu warga.", "Made")]


def test_the_moderator_sees_the_name_that_will_be_shown(client, settings):
    from tests.factories import UserFactory, grant

    f.reset_public_state(settings)
    entry = f.entry(f.public_edition())
    citizen = f.voter()
    client.cookies["sayembara_voter"] = voter_token(citizen)
    client.post(reverse("public:comment", kwargs={"pk": entry.pk}),
                {"body": "Bagus sekali.", "display_name": "Nama Hinaan"})
    organiser = UserFactory()
    grant(organiser, "organiser", organiser=entry.edition.organiser)
    client.force_login(organiser)
    page = client.get(reverse("public:moderation", kwargs={"slug": entry.edition.slug}),
                      {"status": "pending"}).content.decode()
    assert "Shown as: <strong>Nama Hinaan</strong>" in page


def test_an_approved_name_stays_when_the_next_comment_gives_none(client, settings):
    f.reset_public_state(settings)
    entry = f.entry(f.public_edition())
    client.cookies["sayembara_voter"] = voter_token(f.voter())
    url = reverse("public:comment", kwargs={"pk": entry.pk})
    client.post(url, {"body": "Pertama.", "display_name": "Made"})
    client.post(url, {"body": "Kedua.", "display_name": ""})
    for comment in Comment.objects.all():
        moderate_comment(comment=comment, actor=None, publish=True)
    assert _shown(client, entry) == [("Pertama.", "Made"), ("Kedua.", "A verified citizen")]
