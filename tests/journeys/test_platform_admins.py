"""The platform administrators, in a real browser (Debian's Chromium through Playwright):
the first administrator makes a secretariat member an administrator too, answering the
question first; the new one, on a phone, takes the role back from the first, and the last
one left cannot lose it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sayembara.accounts.selectors.roles import scopes_of
from tests.conftest import signed_in_page
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _is_admin(user) -> bool:
    user.refresh_from_db()
    if hasattr(user, "_sayembara_scopes"):
        del user._sayembara_scopes
    return scopes_of(user).platform_admin


def test_an_administrator_is_made_and_the_first_one_steps_down(live_server, browser, settings,
                                                               tmp_path):
    settings.ALLOWED_HOSTS = ["*"]
    first = UserFactory(username="admin", full_name="Ni Luh Admin", is_superuser=True)
    member = UserFactory(username="sekretariat", email="sek@badung.go.id",
                         full_name="Made Sekretariat")
    url = live_server.url + reverse("web:administrators")

    context, page = signed_in_page(browser, live_server, first, width=1366, height=768)
    page.goto(live_server.url + "/")
    page.click("nav >> text=Platform administrators")
    assert "The last one keeps the role." in page.inner_text("#administrators")
    page.fill("#id_account", "sek@badung.go.id")
    page.click("button:has-text('Continue')")
    assert ("Make Made Sekretariat (sekretariat) a platform administrator?"
            in page.inner_text("main"))
    page.screenshot(path=tmp_path / "administrator-grant-question-1366.png", full_page=True)
    assert not _is_admin(member)
    page.click("#confirm-administrator")
    page.wait_for_selector(".messages")
    assert "Made Sekretariat now administers the platform" in page.inner_text(".messages")
    assert "Made Sekretariat" in page.inner_text("#administrators")
    page.screenshot(path=tmp_path / "administrators-1366.png", full_page=True)
    context.close()
    assert _is_admin(member)

    context, page = signed_in_page(browser, live_server, member, width=390, height=844)
    page.goto(url)
    page.locator("tr", has_text="Ni Luh Admin").locator(
        "button:has-text('Take the role away')").click()
    assert ("Take the platform administrator role away from Ni Luh Admin (admin)?"
            in page.inner_text("main"))
    page.screenshot(path=tmp_path / "administrator-revoke-question-390.png", full_page=True)
    page.click("#confirm-administrator")
    page.wait_for_selector(".messages")
    assert "Ni Luh Admin no longer administers the platform." in page.inner_text(".messages")
    # Now the last one: the page offers no button, only the reason.
    assert "The last one keeps the role." in page.inner_text("#administrators")
    assert page.locator("button:has-text('Take the role away')").count() == 0
    page.screenshot(path=tmp_path / "administrators-390.png", full_page=True)
    context.close()
    assert not _is_admin(first) and _is_admin(member)
