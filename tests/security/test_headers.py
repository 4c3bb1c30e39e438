"""A strict Content-Security-Policy everywhere, and nothing behind a login kept in a cache.

The access matrix (tests/access/) checks both headers on every URL for every role; these
tests name the policy itself and scan every template for inline scripts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import OrganiserFactory, UserFactory, grant

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "sayembara"


def _directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    parts = [part.strip().split() for part in policy.split(";") if part.strip()]
    return {part[0]: part[1:] for part in parts}


@pytest.mark.django_db
def test_csp_allows_scripts_only_from_the_site(client):
    directives = _directives(client.get(reverse("public:index")))
    assert directives["script-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["style-src-elem"] == ["'self'"]


@pytest.mark.django_db
def test_csp_is_sent_on_the_sign_in_page_and_on_refusals(client):
    for response in (client.get(reverse("accounts:login")), client.get("/tidak-ada/")):
        assert "'unsafe-inline'" not in " ".join(_directives(response)["script-src"])


@pytest.mark.django_db
def test_dashboard_is_not_stored_for_a_signed_in_organiser(client):
    organiser = OrganiserFactory()
    user = UserFactory()
    grant(user, "organiser", organiser=organiser)
    client.force_login(user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_public_page_for_an_anonymous_visitor_may_be_cached(client):
    response = client.get(reverse("public:index"))
    assert "no-store" not in response.get("Cache-Control", "")


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]*\s(on[a-z]+)\s*=", re.IGNORECASE)
JAVASCRIPT_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.IGNORECASE)
INLINE_STYLE_ELEMENT = re.compile(r"<style[\s>]", re.IGNORECASE)


def test_no_template_has_an_inline_script_or_event_handler():
    """The policy would block them: scripts live in static files and attach their handlers
    with addEventListener (see web/static/sayembara/app.js)."""
    found = []
    for template in sorted(TEMPLATES.glob("*/templates/**/*.html")):
        text = template.read_text()
        for pattern, what in ((INLINE_SCRIPT, "inline <script>"),
                              (INLINE_HANDLER, "inline event handler"),
                              (JAVASCRIPT_URL, "javascript: address"),
                              (INLINE_STYLE_ELEMENT, "inline <style> element")):
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                found.append(f"{template.relative_to(TEMPLATES)}:{line}: {what}")
    assert found == []
