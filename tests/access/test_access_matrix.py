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
    ROLES,
    expectation_modules,
    expectations,
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
            client = _client(world, role)
            with transaction.atomic():
                if expect.method == "POST":
                    response = client.post(url, data)
                else:
                    response = client.get(url, data)
                transaction.set_rollback(True)
            found = verdict(response, expect=expect, role=role)
            wanted = "allowed" if expect.allowed(role, side_name) else "refused"
            if found != wanted:
                where = response.get("Location", "")
                wrong.append(
                    f"{expect.method} {url} as {role} on the {side_name} side: expected "
                    f"{wanted}, got {response.status_code}{' -> ' + where if where else ''}"
                )
    assert wrong == []
