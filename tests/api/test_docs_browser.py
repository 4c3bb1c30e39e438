"""The browsable API documentation works under the site's Content-Security-Policy, and the
tokens page works on a phone."""

import pytest

from sayembara.accounts.enums import Role
from tests.conftest import new_page, signed_in_page
from tests.factories import OrganiserFactory, UserFactory, grant

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_api_documentation_renders_without_inline_scripts(browser, live_server):
    _context, page = new_page(browser)
    response = page.goto(f"{live_server.url}/api/docs")
    policy = response.headers["content-security-policy"]
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    page.get_by_text("Sayembara API").first.wait_for()
    page.get_by_text("/api/v1/catalogue", exact=True).first.wait_for()
    html = page.content()
    assert "<script>" not in html.replace(" ", "")


def test_tokens_page_on_a_phone(browser, live_server, tmp_path):
    user = UserFactory()
    grant(user, Role.ORGANISER, organiser=OrganiserFactory())
    _context, page = signed_in_page(browser, live_server, user, width=390, height=844)
    page.goto(f"{live_server.url}/token-api/")
    page.get_by_label("Name").fill("Integrasi SIPD")
    page.get_by_role("button", name="Create the token").click()
    value = page.locator("#token-value").input_value()
    assert value.startswith("sym_")
    page.screenshot(path=tmp_path / "api-tokens-390.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
