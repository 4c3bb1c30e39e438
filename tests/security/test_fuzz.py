"""Malformed input never makes a server error (a property-based test).

Every page the access matrix declares is opened as every role allowed on it; every form on
the page (its fields, hidden ones included) and every query parameter its links carry
become a target. Hypothesis then sends generated strings (any Unicode, digits in other
scripts, 25-digit ids, 1e999999, NUL bytes, deep brackets) to a target's fields, at least
2,000 times, and each answer must be below 500. Each request runs in a savepoint that is
rolled back, so one example never changes the world of the next.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, note
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.access.matrix import ANONYMOUS, ROLES, expectation_modules, expectations
from tests.access.world import build_world, signed_in_session

CASES = int(__import__("os").environ.get("FUZZ_CASES", "2000"))
#: Forms whose submission leaves the site's own pages (signing out ends the role's session).
SKIP_ACTIONS = ("/akun/keluar/",)


@dataclass(frozen=True)
class Target:
    role: str
    method: str
    url: str
    fields: tuple[str, ...]
    fixed: tuple[tuple[str, str], ...]  # other fields of the form, sent as the page had them

    def __str__(self) -> str:
        return f"{self.method} {self.url} as {self.role} [{', '.join(self.fields)}]"


class _Forms(HTMLParser):
    """Forms (method, action, named fields with their values) and links of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.links: list[str] = []
        self._form: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"method": (attrs.get("method") or "get").upper(),
                          "action": attrs.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        elif tag in ("input", "select", "textarea", "button") and self._form is not None:
            name = attrs.get("name")
            if name and attrs.get("type") not in ("file", "submit") or (
                    name and tag == "button" and attrs.get("value")):
                self._form["fields"].setdefault(name, attrs.get("value") or "")
        elif tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _pages(world) -> list[tuple[str, str]]:
    """(role, url) of every GET page of the matrix a role may open on its own side."""
    found = []
    merged, _problems = expectations()
    for name, expect in sorted(merged.items()):
        if expect.method != "GET" or expect.post_only:
            continue
        side = world.side("own")
        try:
            url = reverse(name, kwargs=expect.kwargs(side) if expect.kwargs else None)
        except Exception:  # noqa: BLE001 - a URL the world cannot build is simply skipped
            continue
        if expect.data is not None:
            expect.build_data(side)  # writes the files some downloads need
        for role in ROLES:
            if expect.allowed(role, "own"):
                found.append((role, url))
    return found


def _client(world, role: str) -> Client:
    client = Client()
    client.cookies = SimpleCookie()
    if role != ANONYMOUS:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client


def _targets(world) -> list[Target]:
    targets: dict[tuple, Target] = {}
    for role, url in _pages(world):
        client = _client(world, role)
        with transaction.atomic():
            response = client.get(url)
            transaction.set_rollback(True)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        parser = _Forms()
        parser.feed(response.content.decode(errors="replace"))
        for form in parser.forms:
            action = urljoin(url, form["action"] or url)
            if urlsplit(action).netloc or action.startswith(SKIP_ACTIONS):
                continue
            names = tuple(sorted(n for n in form["fields"] if n != "csrfmiddlewaretoken"))
            if names:
                fixed = tuple(sorted((k, v) for k, v in form["fields"].items()
                                     if k != "csrfmiddlewaretoken"))
                key = (role, form["method"], urlsplit(action).path, names)
                targets[key] = Target(role, form["method"], urlsplit(action).path, names,
                                      fixed)
        for link in parser.links:
            parts = urlsplit(urljoin(url, link))
            params = tuple(sorted({k for k, _v in parse_qsl(parts.query, keep_blank_values=True)}))
            if parts.netloc or not params or parts.path.startswith(SKIP_ACTIONS):
                continue
            key = (role, "GET", parts.path, params)
            targets.setdefault(key, Target(role, "GET", parts.path, params,
                                           tuple(parse_qsl(parts.query))))
    return sorted(targets.values(), key=str)


@pytest.fixture(scope="module")
def fuzz_world(django_db_setup, django_db_blocker):
    fast_hashing = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast_hashing, transaction.atomic():
        extenders = [m.extend for m in expectation_modules() if hasattr(m, "extend")]
        built = build_world(extenders)
        built.sessions = {role: signed_in_session(user) for role, user in built.own.users.items()}
        yield built
        transaction.set_rollback(True)


HOSTILE = st.sampled_from([
    "²", "٣", "९९", "1e1000000", "1e999999", "-1", "0", "9" * 25, "NaN", "Infinity",
    "\x00", "a\x00b", "%00", "' OR 1=1 --", "<script>alert(1)</script>", "../../etc/passwd",
    "[" * 200 + "]" * 200, "{a: " * 50, "=HYPERLINK(\"x\")", "", " ", "😀" * 10,
    "\ud7ff", "x" * 5000,
])
VALUES = st.one_of(HOSTILE, st.text(max_size=40),
                   st.from_regex(r"\A-?[0-9]{1,30}([.,][0-9]{0,12})?\Z"))


@st.composite
def _requests(draw, targets):
    target = draw(st.sampled_from(targets))
    chosen = draw(st.lists(st.sampled_from(target.fields), min_size=1,
                           max_size=len(target.fields), unique=True))
    data = dict(target.fixed)
    for name in chosen:
        data[name] = draw(VALUES)
    return target, data


@pytest.mark.django_db
def test_generated_input_to_every_form_and_parameter_never_errors(fuzz_world, settings):
    from tests.factories_public import reset_public_state

    reset_public_state(settings)
    targets = _targets(fuzz_world)
    pages = {(t.role, t.url) for t in targets}
    assert len(targets) >= 40, [str(t) for t in targets]
    assert {t.role for t in targets} == set(ROLES), pages
    clients = {role: _client(fuzz_world, role) for role in ROLES}

    @hypothesis_settings(max_examples=CASES, deadline=None, database=None,
                         suppress_health_check=list(HealthCheck))
    @given(_requests(targets))
    def sends(request):
        target, data = request
        note(f"{target} {data!r}")
        client = clients[target.role]
        with transaction.atomic():
            if target.method == "POST":
                response = client.post(target.url, data)
            else:
                response = client.get(target.url, data)
            transaction.set_rollback(True)
        assert response.status_code < 500, (str(target), data, response.status_code)

    sends()
