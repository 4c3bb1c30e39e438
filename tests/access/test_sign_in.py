"""Signing in: the lockout after repeated failures and the TOTP second step."""

from __future__ import annotations

import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from sayembara.accounts.models import TOTPDevice
from sayembara.common.models import AuditEvent
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-123"


@pytest.fixture
def client():
    return Client(headers={"accept-language": "en"})


def _sign_in(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def test_login_lockout_after_repeated_failures_says_to_wait(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(username="sekretariat")
    for _attempt in range(3):
        response = _sign_in(client, user.username, "salah")
        assert response.status_code == 200
        assert "Too many failed attempts" not in response.content.decode()

    response = _sign_in(client, user.username)  # the right password, but too late

    page = response.content.decode()
    assert response.status_code == 429
    assert 'value="sekretariat"' in page
    assert "Too many failed attempts" in page
    assert "paused for 15 minutes" in page
    assert "_auth_user_id" not in client.session


def test_login_lockout_not_reached_lets_the_right_password_in(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(username="juri-satu")
    for _attempt in range(2):
        _sign_in(client, user.username, "salah")

    response = _sign_in(client, user.username)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_login_lockout_counts_per_account(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    locked = UserFactory(username="akun-terkunci")
    other = UserFactory(username="akun-lain")
    for _attempt in range(2):
        _sign_in(client, locked.username, "salah")

    response = _sign_in(Client(headers={"accept-language": "en"}), other.username)

    assert response.status_code == 302


def _enrol(client) -> pyotp.TOTP:
    setup = reverse("accounts:totp_setup")
    client.post(setup, {"action": "start"})
    device = TOTPDevice.objects.get()
    totp = pyotp.TOTP(device.secret)
    response = client.post(setup, {"action": "confirm", "code": totp.now()})
    assert response.status_code == 302
    return totp


def test_totp_enrolment_needs_a_correct_first_code(client):
    user = UserFactory(username="penyelenggara")
    client.force_login(user)
    setup = reverse("accounts:totp_setup")
    client.post(setup, {"action": "start"})

    wrong = client.post(setup, {"action": "confirm", "code": "000000"})

    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    assert TOTPDevice.objects.get(user=user).confirmed is False

    totp = pyotp.TOTP(TOTPDevice.objects.get(user=user).secret)
    client.post(setup, {"action": "confirm", "code": totp.now()})

    assert TOTPDevice.objects.get(user=user).confirmed is True
    assert AuditEvent.objects.filter(action="account.totp_enabled").count() == 1


def test_totp_required_at_next_sign_in(client):
    user = UserFactory(username="juri-dua")
    assert _sign_in(client, user.username).status_code == 302
    totp = _enrol(client)
    client.post(reverse("accounts:logout"))

    signed_in = _sign_in(client, user.username)
    home = client.get(signed_in["Location"])

    verify = reverse("accounts:totp_verify")
    assert home.status_code == 302
    assert home["Location"].startswith(verify)
    assert client.get(reverse("web:editions"))["Location"].startswith(verify)

    refused = client.post(verify, {"code": "123456", "next": "/"})
    assert "That code is not right" in refused.content.decode()
    assert client.get(reverse("web:editions")).status_code == 302

    # The enrolment used the current time step; a code is never accepted twice, so the
    # authenticator's next code is what the user types now.
    accepted = client.post(verify, {"code": totp.at(time.time() + 30), "next": "/"})
    assert accepted.status_code == 302
    assert client.get(reverse("web:editions")).status_code == 200


def test_totp_code_cannot_be_replayed(client):
    user = UserFactory(username="juri-tiga")
    client.force_login(user)
    totp = _enrol(client)
    code = totp.at(time.time() + 30)
    client.post(reverse("accounts:logout"))
    _sign_in(client, user.username)
    assert client.post(reverse("accounts:totp_verify"), {"code": code})["Location"] == "/"
    client.post(reverse("accounts:logout"))
    _sign_in(client, user.username)

    again = client.post(reverse("accounts:totp_verify"), {"code": code})

    assert again.status_code == 200
    assert "That code is not right or was already used" in again.content.decode()
