"""Every URL, every role, own side and other side: allowed or refused as declared.

The format of the declarations is described in ``tests/access/matrix.py``.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from sayembara.common.permissions import declared_permission
from tests.access.matrix import (
    ANONYMOUS,
    READ_ONLY,
    ROLES,
    expectation_modules,
    expectations,
    post_verdict,
    url_entries,
    verdict,
)
from tests.access.world import build_world, signed_in_session

URLS = {entry.name: entry for entry in url_entries()}
EXPECTATIONS, DECLARATION_PROBLEMS = expectations()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """One world for the module, rolled back at its end; every user already signed in."""
    # Module fixtures run before the per-test settings of conftest.py: hash passwords fast.
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
    )
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        extenders = [m.extend for m in expectation_modules() if hasattr(m, "extend")]
        built = build_world(extenders)
        built.sessions = {role: signed_in_session(user) for role, user in built.own.users.items()}
        yield built
        transaction.set_rollback(True)


_CLIENT = Client()


def _client(world, role: str) -> Client:
    """The one test client (its middleware, WhiteNoise's file index included, is built only
    once), holding nothing but the role's session cookie."""
    _CLIENT.cookies = SimpleCookie()
    if role != ANONYMOUS:
        _CLIENT.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return _CLIENT


def test_access_declarations_are_well_formed():
    assert DECLARATION_PROBLEMS == []


def test_access_every_view_declares_its_permission():
    undeclared = [
        f"{entry.name} ({entry.route}) is not wrapped with "
        "sayembara.common.permissions.requires; declare who may open it."
        for entry in URLS.values()
        if declared_permission(entry.callback) is None
    ]
    assert undeclared == []


def test_access_every_declaration_names_an_existing_url():
    stale = [
        f"{name} is declared but no URL has that name; remove it from tests/access/."
        for name in EXPECTATIONS
        if name not in URLS
    ]
    assert stale == []


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(URLS))
def test_access_matrix(world, name):
    entry = URLS[name]
    expect = EXPECTATIONS.get(name)
    if expect is None:
        pytest.fail(
            f"The URL {name} ({entry.route}) has no declared access expectation; add "
            f"EXPECT[{name!r}] = Expect(...) to {entry.expectation_file} "
            "(the format is described in tests/access/matrix.py)."
        )
    wrong = []
    for side_name in expect.sides():
        side = world.side(side_name)
        url = reverse(name, kwargs=expect.kwargs(side) if expect.kwargs else None)
        data = expect.build_data(side)
        for role in ROLES:
            response = _request(world, role, expect.method, url, data,
                                token=expect.token)
            found = verdict(response, expect=expect, role=role)
            wanted = "allowed" if expect.allowed(role, side_name) else "refused"
            if found != wanted:
                wrong.append(_describe(expect.method, url, role, side_name, wanted, response))
            wrong.extend(_header_problems(expect.method, url, role, response))
        if expect.method == "POST" or expect.post_only:
            continue
        # The same URL posted to, as every role: a page that shows a form on GET changes
        # state on POST, and must refuse the same people there.
        post_data = expect.build_post_data(side)
        for role in ROLES:
            response = _request(world, role, "POST", url, post_data, token=expect.token)
            allowed = expect.allowed(role, side_name)
            found = post_verdict(response, expect=expect, role=role, allowed=allowed)
            wanted = "allowed" if allowed else "refused"
            if found not in (wanted, READ_ONLY):
                wrong.append(_describe("POST", url, role, side_name, wanted, response))
            wrong.extend(_header_problems("POST", url, role, response))
    assert wrong == []


def _request(world, role: str, method: str, url: str, data: dict, *, token: bool = False):
    """One request as ``role`` inside a savepoint that is rolled back (with the own
    organiser's API token for an API address, when the role is the organiser)."""
    client = _client(world, role)
    headers = {}
    if token and role == "organiser":
        headers["HTTP_AUTHORIZATION"] = f"Bearer {world.own.api_token}"
    with transaction.atomic():
        if method == "POST" and token:
            response = client.post(url, data, content_type="application/json", **headers)
        elif method == "POST":
            response = client.post(url, data, **headers)
        else:
            response = client.get(url, data, **headers)
        transaction.set_rollback(True)
    return response


def _describe(method: str, url: str, role: str, side: str, wanted: str, response) -> str:
    where = response.get("Location", "")
    return (f"{method} {url} as {role} on the {side} side: expected {wanted}, got "
            f"{response.status_code}{' -> ' + where if where else ''}")


def _header_problems(method: str, url: str, role: str, response) -> list[str]:
    """Every answer carries the Content-Security-Policy; every answer to a signed-in person
    (pages and downloads) is ``Cache-Control: private, no-store``."""
    problems = []
    policy = response.get("Content-Security-Policy", "")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";")
                  if part.split()}
    # Scripts fall back to default-src; a download's own "sandbox; default-src 'none'" is
    # stricter still.
    scripts = directives.get("script-src", directives.get("default-src", []))
    if not scripts or "'unsafe-inline'" in scripts or "*" in scripts:
        problems.append(f"{method} {url} as {role}: no strict Content-Security-Policy "
                        f"({policy!r}).")
    cache = {part.strip() for part in response.get("Cache-Control", "").split(",")}
    if role != ANONYMOUS and not {"private", "no-store"} <= cache:
        problems.append(f"{method} {url} as {role}: Cache-Control is "
                        f"{response.get('Cache-Control')!r}, not 'private, no-store'.")
    return problems
