"""Account recovery in a real browser (Debian's Chromium through Playwright): a judge who
forgot the password sets a new one from the e-mailed link, turns on two-step verification
and keeps the recovery codes, signs in with one of them after losing the phone, and, with
no code left, is helped by the organiser, who resets the two-step verification after
checking who is asking."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.core import mail
from django.urls import reverse

from sayembara.accounts.enums import Role
from sayembara.common.models import AuditEvent
from tests.conftest import new_page
from tests.factories import UserFactory, grant
from tests.factories_entries import make_edition, make_organiser_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW = "Kopi-Toraja-2027!"


def _sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]:has-text('Sign in')")


def _sign_out(page) -> None:
    page.click("button:has-text('Sign out')")


def test_password_reset_recovery_codes_and_the_organisers_reset(live_server, browser,
                                                                 settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SAYEMBARA_PUBLIC_URL = live_server.url
    edition = make_edition()
    judge = UserFactory(username="juri-lupa-semua", email="ayu@pemalangkab.go.id",
                        full_name="Ayu Lestari")
    grant(judge, Role.JUDGE, edition=edition)
    organiser = make_organiser_user(edition.organiser, username="sekretariat-bantu")
    context, page = new_page(browser, width=390, height=844)

    # A forgotten password: a new one from the e-mailed link.
    page.goto(live_server.url + reverse("accounts:login"))
    page.click("text=Forgot your password?")
    page.fill("#id_email", "ayu@pemalangkab.go.id")
    page.click("button:has-text('Send the link')")
    page.wait_for_selector("text=If an account uses that address")
    link = re.search(r"http://\S+/akun/sandi/baru/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.fill("#id_new_password1", NEW)
    page.fill("#id_new_password2", NEW)
    page.click("button:has-text('Set the password')")
    page.wait_for_selector("text=Your new password is set.")
    _sign_in(page, live_server, judge.username, NEW)

    # Two-step verification with recovery codes, shown once.
    page.goto(live_server.url + reverse("accounts:totp_setup"))
    page.click("button:has-text('Set up two-step verification')")
    secret = page.inner_text("p.small code").strip()
    page.fill("#id_code", pyotp.TOTP(secret).now())
    page.click("button:has-text('Confirm')")
    page.wait_for_selector("text=Your recovery codes")
    codes = [code.strip() for code in page.locator("ol.recovery-codes code").all_inner_texts()]
    assert len(codes) == 10
    page.reload()
    assert page.locator("ol.recovery-codes").count() == 0
    _sign_out(page)

    # The phone is lost: a recovery code gets the judge in, once.
    _sign_in(page, live_server, judge.username, NEW)
    page.wait_for_selector("h1:has-text('Two-step verification')")
    page.fill("#id_code", codes[0])
    page.click("button:has-text('Continue')")
    page.wait_for_selector("text=You signed in with a recovery code; 9 are left.")
    _sign_out(page)
    _sign_in(page, live_server, judge.username, NEW)
    page.fill("#id_code", codes[0])
    page.click("button:has-text('Continue')")
    page.wait_for_selector("text=That code is not right or was already used")
    context.close()

    # No code at hand: the organiser checks who is asking and resets two-step verification.
    context, page = new_page(browser, width=1366, height=768)
    _sign_in(page, live_server, organiser.username, "rahasia-123")
    page.goto(live_server.url + reverse("web:security_accounts"))
    page.fill("#id_q", "Ayu")
    page.click("button:has-text('Search')")
    page.click("a:has-text('Reset two-step verification')")
    page.fill("#id_how_checked", "Video call: she showed her KTP; phone number matches our file.")
    page.click("button:has-text('Reset two-step verification')")
    page.wait_for_selector("text=Two-step verification of Ayu Lestari is reset.")
    page.goto(live_server.url + reverse("web:security_events"))
    page.wait_for_selector("text=Two-step verification of juri-lupa-semua was reset by the "
                           "secretariat.")
    context.close()
    assert AuditEvent.objects.get(action="security.two_step_reset").reason.startswith(
        "Video call")

    # The judge signs in with the password alone, and may set two-step up again.
    context, page = new_page(browser, width=390, height=844)
    _sign_in(page, live_server, judge.username, NEW)
    page.wait_for_url(live_server.url + "/")
    page.goto(live_server.url + reverse("accounts:totp_setup"))
    page.wait_for_selector("button:has-text('Set up two-step verification')")
    context.close()
