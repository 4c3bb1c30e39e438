"""A forgotten password is reset from an e-mailed link; a known one is changed by its owner.
Both are translated and audited; the reset also lifts a lockout."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from sayembara.accounts.services.lockout import account_failures
from sayembara.common.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-123"
NEW = "Kopi-Toraja-2027!"


def _client(language="en"):
    return Client(headers={"accept-language": language})


def _link(message) -> str:
    return re.search(r"https?://\S+/akun/sandi/baru/\S+/", message.body).group(0)


def test_forgotten_password_is_reset_from_the_emailed_link(settings):
    settings.SAYEMBARA_PUBLIC_URL = "https://sayembara.example.go.id"
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(username="sekretariat-lupa", email="sekretariat@badungkab.go.id")
    client = _client()
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "x"})
    assert account_failures(user.username) == 3

    login = client.get(reverse("accounts:login")).content.decode()
    assert f'href="{reverse("accounts:password_reset")}"' in login
    sent = client.post(reverse("accounts:password_reset"),
                       {"email": "Sekretariat@BadungKab.go.id"}, follow=True)

    assert "If an account uses that address, a link to set a new password" in \
        sent.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sekretariat@badungkab.go.id"]
    assert message.subject == "Set a new password for Sayembara"
    link = _link(message)
    assert link.startswith("https://sayembara.example.go.id/akun/sandi/baru/")
    path = link.removeprefix("https://sayembara.example.go.id")

    form = client.get(path, follow=True)
    assert "Set a new password" in form.content.decode()
    mismatch = client.post(form.redirect_chain[-1][0],
                           {"new_password1": NEW, "new_password2": NEW + "x"})
    assert "The two password fields didn’t match." in mismatch.content.decode()
    done = client.post(form.redirect_chain[-1][0],
                       {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert "Your new password is set." in done.content.decode()
    assert AuditEvent.objects.filter(action="security.password_reset",
                                     object_id=str(user.pk)).count() == 1
    assert account_failures(user.username) == 0  # the lockout is lifted with the reset

    assert client.post(reverse("accounts:login"),
                       {"username": user.username, "password": NEW}).status_code == 302
    client.post(reverse("accounts:logout"))
    reused = client.get(path, follow=True).content.decode()
    assert "This link no longer works" in reused


def test_the_reset_email_and_pages_are_in_indonesian(settings):
    settings.LANGUAGE_CODE = "id"
    UserFactory(username="juri-lupa", email="juri@pemalangkab.go.id")
    client = _client("id")
    page = client.get(reverse("accounts:password_reset")).content.decode()
    assert "Lupa kata sandi?" in page
    client.post(reverse("accounts:password_reset"), {"email": "juri@pemalangkab.go.id"})
    assert mail.outbox[0].subject == "Atur kata sandi baru untuk Sayembara"
    assert "Buka tautan ini" in mail.outbox[0].body


def test_an_unknown_address_gets_the_same_answer_and_no_mail():
    client = _client()
    answer = client.post(reverse("accounts:password_reset"), {"email": "siapa@contoh.id"},
                         follow=True)
    assert "If an account uses that address" in answer.content.decode()
    assert mail.outbox == []


def test_asking_again_and_again_is_refused_with_the_address_kept():
    UserFactory(username="juri-banjir", email="banjir@contoh.id")
    client = _client()
    for _ in range(3):
        client.post(reverse("accounts:password_reset"), {"email": "banjir@contoh.id"})
    refused = client.post(reverse("accounts:password_reset"), {"email": "banjir@contoh.id"})
    page = refused.content.decode()
    assert "Too many requests for a new password. Wait an hour" in page
    assert 'value="banjir@contoh.id"' in page
    assert len(mail.outbox) == 3


def test_a_signed_in_person_changes_their_password():
    user = UserFactory(username="operator-ganti")
    client = _client()
    client.force_login(user)
    security = client.get(reverse("accounts:totp_setup")).content.decode()
    assert f'href="{reverse("accounts:password_change")}"' in security

    wrong = client.post(reverse("accounts:password_change"),
                        {"old_password": "salah", "new_password1": NEW, "new_password2": NEW})
    assert "Your old password was entered incorrectly." in wrong.content.decode()
    done = client.post(reverse("accounts:password_change"),
                       {"old_password": PASSWORD, "new_password1": NEW,
                        "new_password2": NEW}, follow=True)

    assert "Your password is changed." in done.content.decode()
    assert client.get(reverse("web:home")).status_code == 200  # still signed in
    user.refresh_from_db()
    assert user.check_password(NEW)
    assert AuditEvent.objects.filter(action="security.password_changed").count() == 1
