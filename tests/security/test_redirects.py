"""Open redirect: every view that follows a ``next`` address stays on this site.

The first test finds those views by scanning the source of every URL's view; each must have
a recipe below that reaches its redirect, and each recipe is replayed with outside addresses
(the probe: POST /juri/<edition>/pakta-integritas/?next=https://evil.example/phish).
"""

from __future__ import annotations

import inspect
import re

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from tests.access.matrix import url_entries
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OUTSIDE = ["https://evil.example/phish", "//evil.example/phish", "/\\evil.example/phish",
           "http:///evil.example", "javascript:alert(1)", "²", "web:home"]

#: Views that follow ``next`` inside Django itself (their source names a setting, not "next").
DJANGO_VIEWS = {"accounts:login"}
_READS_NEXT = re.compile(r"safe_next\(|[\"']next[\"']")


def views_reading_next() -> set[str]:
    found = set(DJANGO_VIEWS)
    for entry in url_entries():
        view = entry.callback
        while hasattr(view, "__wrapped__"):
            view = view.__wrapped__
        view = getattr(view, "view_class", view)
        try:
            source = inspect.getsource(view)
        except (OSError, TypeError):
            continue
        if _READS_NEXT.search(source):
            found.add(entry.name)
    return found


# Each recipe returns (client, method, url, data) that reaches the view's redirect.


def _set_language(_next):
    return Client(), "post", reverse("set_language"), {"language": "en", "next": _next}


def _login(_next):
    user = UserFactory(username="penyelenggara-uji")
    user.set_password("kata-sandi-panjang-2026")
    user.save()
    return Client(), "post", reverse("accounts:login"), {
        "username": user.username, "password": "kata-sandi-panjang-2026", "next": _next}


def _totp_verify(_next):
    from sayembara.accounts.models import TOTPDevice

    user = UserFactory()
    device = TOTPDevice.objects.create(user=user, secret=pyotp.random_base32(), confirmed=True,
                                       last_counter=-1)
    client = Client()
    client.force_login(user)
    return client, "post", reverse("accounts:totp_verify") + "?next=" + _next, {
        "code": pyotp.TOTP(device.secret).now()}


def _pledge(_next):
    from tests.factories_judging import make_edition, make_judge

    edition = make_edition()
    judge = make_judge(edition)
    client = Client()
    client.force_login(judge.user)
    return client, "post", reverse("jury:pledge", args=[edition.slug]) + "?next=" + _next, {
        "accept": "on"}


def _organiser_of_edition():
    from tests.factories_judging import make_edition, make_organiser_user

    edition = make_edition()
    client = Client()
    client.force_login(make_organiser_user(edition))
    return client, edition


def _stage_decide(_next):
    client, edition = _organiser_of_edition()
    stage = edition.stages.order_by("order").first()
    url = reverse("jury:stage_decide", kwargs={"slug": edition.slug, "stage_key": stage.key})
    return client, "post", url, {"entry": "0", "decision": "advance", "reason": "x",
                                 "next": _next}


def _rules_freeze(_next):
    client, edition = _organiser_of_edition()
    return client, "post", reverse("web:rules_freeze", args=[edition.slug]), {"next": _next}


def _rules_reopen(_next):
    client, edition = _organiser_of_edition()
    return client, "post", reverse("web:rules_reopen", args=[edition.slug]), {
        "reason": "Salah ketik bobot", "next": _next}


def _voter(url_name, **data):
    def recipe(_next):
        return Client(), "post", reverse(url_name), {**data, "next": _next}
    return recipe


RECIPES = {
    "set_language": _set_language,
    "accounts:login": _login,
    "accounts:totp_verify": _totp_verify,
    "jury:pledge": _pledge,
    "jury:stage_decide": _stage_decide,
    "web:rules_freeze": _rules_freeze,
    "web:rules_reopen": _rules_reopen,
    "public:request_code": _voter("public:request_code", address="warga@contoh.id"),
    "public:verify": _voter("public:verify", address="warga@contoh.id", code="000000"),
    "public:voter_sign_out": _voter("public:voter_sign_out"),
}


def test_every_view_that_reads_next_has_a_recipe():
    assert views_reading_next() == set(RECIPES)


def _goes_outside(response) -> str | None:
    """The outside address the answer sends the browser to (a redirect, or a form that
    would carry the address on), or None."""
    location = response.get("Location", "")
    if "evil.example" in location or location.startswith("javascript:"):
        return location
    body = response.content.decode(errors="replace") if response.status_code == 200 else ""
    match = re.search(r'name="next"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="next"', body)
    if match and ("evil.example" in (match.group(1) or match.group(2) or "")
                  or "javascript:" in (match.group(1) or match.group(2) or "")):
        return "form field next=" + (match.group(1) or match.group(2))
    return None


@pytest.mark.parametrize("name", sorted(RECIPES))
def test_next_pointing_outside_is_ignored(name, settings):
    from tests.factories_public import reset_public_state

    reset_public_state(settings)
    leaks = []
    for address in OUTSIDE:
        client, method, url, data = RECIPES[name](address)
        response = getattr(client, method)(url, data)
        assert response.status_code < 500, (name, address, response.status_code)
        if (where := _goes_outside(response)) is not None:
            leaks.append(f"{address} -> {where}")
    assert leaks == []


def test_next_within_the_site_is_still_followed():
    client, method, url, data = _pledge("/publik/")
    response = getattr(client, method)(url, data)
    assert (response.status_code, response["Location"]) == (302, "/publik/")


def test_the_probe_no_longer_redirects_a_judge_to_the_phishing_page():
    client, method, url, data = _pledge("https://evil.example/phish")
    response = getattr(client, method)(url, data)
    assert (response.status_code, response["Location"]) == (302, reverse("jury:home"))


