"""Two-step verification: throttled codes, switching off with password and code, recovery
codes, required for organisers and judges, and the organiser's audited reset."""

from __future__ import annotations

import re
import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from sayembara.accounts.enums import Role
from sayembara.accounts.models import RecoveryCode, TOTPDevice
from sayembara.common.models import AuditEvent
from tests.factories import UserFactory, grant
from tests.factories_entries import make_edition, make_organiser_user

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-123"
SETUP = "accounts:totp_setup"


@pytest.fixture
def client():
    return Client(headers={"accept-language": "en"})


def _sign_in(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _enrol(client) -> tuple[pyotp.TOTP, list[str]]:
    """Switch two-step on as the signed-in user; returns the app and the codes shown."""
    client.post(reverse(SETUP), {"action": "start"})
    totp = pyotp.TOTP(TOTPDevice.objects.latest("pk").secret)
    confirmed = client.post(reverse(SETUP), {"action": "confirm", "code": totp.now()})
    assert confirmed.status_code == 302
    page = client.get(reverse(SETUP)).content.decode()
    codes = re.findall(r"<li><code>([a-z0-9-]+)</code></li>", page)
    assert "Your recovery codes" in page
    return totp, codes


def _next_code(totp) -> str:
    return totp.at(time.time() + 30)


def test_recovery_codes_are_shown_once_stored_hashed_and_each_works_once(client):
    user = UserFactory(username="juri-ponsel-hilang")
    client.force_login(user)
    totp, codes = _enrol(client)

    assert len(codes) == 10 and len(set(codes)) == 10
    again = client.get(reverse(SETUP)).content.decode()
    assert "Your recovery codes" not in again and codes[0] not in again
    assert "10 recovery codes left." in again
    stored = list(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert all(code.replace("-", "") not in "".join(stored) for code in codes)

    client.post(reverse("accounts:logout"))
    _sign_in(client, user.username)
    used = client.post(reverse("accounts:totp_verify"), {"code": codes[3].upper(), "next": "/"})
    assert used.status_code == 302
    home = client.get("/", follow=True).content.decode()
    assert "You signed in with a recovery code; 9 are left." in home
    assert AuditEvent.objects.filter(action="security.recovery_code_used").count() == 1

    client.post(reverse("accounts:logout"))
    _sign_in(client, user.username)
    refused = client.post(reverse("accounts:totp_verify"), {"code": codes[3], "next": "/"})
    assert refused.status_code == 200
    assert "That code is not right or was already used" in refused.content.decode()


def test_sixty_wrong_codes_are_stopped_after_five(client, settings):
    settings.TWO_STEP_ATTEMPT_LIMIT = 5
    user = UserFactory(username="juri-tebak-kode")
    client.force_login(user)
    totp, _codes = _enrol(client)
    client.post(reverse("accounts:logout"))
    _sign_in(client, user.username)
    verify = reverse("accounts:totp_verify")

    answers = [client.post(verify, {"code": f"{n:06d}"}).content.decode() for n in range(60)]

    assert all("That code is not right" in page for page in answers[:5])
    assert all("Too many wrong codes. Wait 15 minutes" in page for page in answers[5:])
    # Even the right code is refused until the pause is over.
    right = client.post(verify, {"code": _next_code(totp)})
    assert "Too many wrong codes" in right.content.decode()
    assert client.get(reverse("web:editions")).status_code == 302
    assert AuditEvent.objects.filter(action="security.two_step_throttled").count() == 1


def test_switching_off_needs_the_password_and_a_current_code(client):
    user = UserFactory(username="penyelenggara-hati-hati")
    client.force_login(user)
    totp, _codes = _enrol(client)
    setup = reverse(SETUP)

    bare = client.post(setup, {"action": "disable"})
    no_password = client.post(setup, {"action": "disable", "password": "salah",
                                      "code": _next_code(totp)})
    no_code = client.post(setup, {"action": "disable", "password": PASSWORD, "code": "123456"})

    assert bare.status_code == 400 and "This field is required." in bare.content.decode()
    assert "The password is not right." in no_password.content.decode()
    assert "That code is not right" in no_code.content.decode()
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()

    done = client.post(setup, {"action": "disable", "password": PASSWORD,
                               "code": _next_code(totp)})
    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert AuditEvent.objects.filter(action="account.totp_disabled").count() == 1


def test_new_recovery_codes_replace_the_old_ones(client):
    user = UserFactory(username="juri-kode-baru")
    client.force_login(user)
    totp, old = _enrol(client)
    made = client.post(reverse(SETUP), {"action": "recovery", "code": _next_code(totp)})
    assert made.status_code == 302
    new = re.findall(r"<li><code>([a-z0-9-]+)</code></li>",
                     client.get(reverse(SETUP)).content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    client.post(reverse("accounts:logout"))
    _sign_in(client, user.username)
    assert client.post(reverse("accounts:totp_verify"), {"code": old[0]}).status_code == 200
    assert client.post(reverse("accounts:totp_verify"), {"code": new[0]}).status_code == 302


def test_organisers_and_judges_must_set_it_up_when_required(client, settings):
    settings.SAYEMBARA_REQUIRE_TWO_STEP = True
    edition = make_edition()
    judge = UserFactory(username="juri-wajib")
    grant(judge, Role.JUDGE, edition=edition)
    client.force_login(judge)

    sent = client.get(reverse("jury:home"))
    assert sent.status_code == 302 and sent["Location"] == reverse(SETUP)
    page = client.get(reverse(SETUP)).content.decode()
    assert "Organisers and judges must use two-step verification on this site." in page
    _enrol(client)
    assert client.get(reverse("jury:home")).status_code == 200

    operator = UserFactory(username="operator-bebas")
    other = Client(headers={"accept-language": "en"})
    other.force_login(operator)
    assert other.get(reverse("public:index")).status_code == 200
    assert other.get(reverse("web:home")).status_code == 200


def test_two_step_is_required_by_default_in_production(monkeypatch):
    import importlib

    import sayembara.settings as project_settings

    monkeypatch.setenv("SAYEMBARA_PRODUCTION", "1")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("ALLOWED_HOSTS", "sayembara.example.go.id")
    monkeypatch.delenv("SAYEMBARA_REQUIRE_TWO_STEP", raising=False)
    try:
        assert importlib.reload(project_settings).SAYEMBARA_REQUIRE_TWO_STEP is True
        monkeypatch.setenv("SAYEMBARA_REQUIRE_TWO_STEP", "0")
        assert importlib.reload(project_settings).SAYEMBARA_REQUIRE_TWO_STEP is False
    finally:
        monkeypatch.undo()
        importlib.reload(project_settings)


# -- the organiser's reset ------------------------------------------------------------------

def test_organiser_resets_a_judges_two_step_after_checking_who_they_are(client):
    edition = make_edition()
    judge = UserFactory(username="juri-reset", full_name="Ayu Lestari")
    grant(judge, Role.JUDGE, edition=edition)
    judge_client = Client(headers={"accept-language": "en"})
    judge_client.force_login(judge)
    _enrol(judge_client)
    organiser = make_organiser_user(edition.organiser)
    client.force_login(organiser)

    listing = client.get(reverse("web:security_accounts")).content.decode()
    url = reverse("web:security_reset_two_step", kwargs={"pk": judge.pk})
    assert "Ayu Lestari" in listing and f'href="{url}"' in listing
    form = client.get(url).content.decode()
    assert "a video call in which they show their ID card" in form

    vague = client.post(url, {"how_checked": "ok"})
    assert vague.status_code == 400
    assert "Say how you checked" in vague.content.decode()
    assert 'ok</textarea>' in vague.content.decode()
    assert TOTPDevice.objects.filter(user=judge).exists()

    done = client.post(url, {"how_checked": "Video call; she showed her KTP (matches file)."})

    assert done.status_code == 302
    assert not TOTPDevice.objects.filter(user=judge).exists()
    assert not RecoveryCode.objects.filter(user=judge).exists()
    event = AuditEvent.objects.get(action="security.two_step_reset")
    assert event.actor_id == organiser.pk and event.object_id == str(judge.pk)
    assert event.reason == "Video call; she showed her KTP (matches file)."
    events = client.get(reverse("web:security_events")).content.decode()
    assert "Two-step verification of juri-reset was reset by the secretariat." in events
    assert "Video call; she showed her KTP (matches file)." in events


def test_another_organisers_people_cannot_be_reset(client):
    mine, theirs = make_edition(), make_edition()
    stranger = UserFactory(username="juri-orang-lain")
    grant(stranger, Role.JUDGE, edition=theirs)
    client.force_login(make_organiser_user(mine.organiser))
    url = reverse("web:security_reset_two_step", kwargs={"pk": stranger.pk})
    assert client.get(url).status_code == 404
    assert client.post(url, {"how_checked": "Trust me, it is really them."}).status_code == 404
    assert "juri-orang-lain" not in client.get(reverse("web:security_accounts")).content.decode()


def test_organiser_unlocks_a_paused_sign_in_and_it_is_audited(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    edition = make_edition()
    judge = UserFactory(username="juri-terkunci")
    grant(judge, Role.JUDGE, edition=edition)
    for _ in range(3):
        Client().post(reverse("accounts:login"), {"username": judge.username,
                                                  "password": "salah"})
    assert Client().post(reverse("accounts:login"), {
        "username": judge.username, "password": PASSWORD}).status_code == 429
    client.force_login(make_organiser_user(edition.organiser))
    listing = client.get(reverse("web:security_accounts")).content.decode()
    url = reverse("web:security_unlock_sign_in", kwargs={"pk": judge.pk})
    assert "Paused after wrong passwords" in listing and f'action="{url}"' in listing

    assert client.get(url).status_code == 405
    done = client.post(url, follow=True).content.decode()

    assert "can sign in again." in done and "Paused after wrong passwords" not in done
    assert Client().post(reverse("accounts:login"), {
        "username": judge.username, "password": PASSWORD}).status_code == 302
    events = client.get(reverse("web:security_events")).content.decode()
    assert "Sign-in of juri-terkunci was unlocked by the secretariat." in events
