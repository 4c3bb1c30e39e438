"""The access matrix: who may open every URL of Sayembara, declared app by app.

How it works
============

``tests/access/test_access_matrix.py`` walks the whole URL configuration
(``get_resolver()``, recursively, every namespaced name such as ``web:edition_dashboard``)
and, for every URL name:

1. fails when the view is not wrapped with ``sayembara.common.permissions.requires``;
2. fails when no expectation is declared for it, naming the file to declare it in
   (``tests/access/expect_<namespace>.py``; names without a namespace go to
   ``expect_web.py``); a declaration for a URL that no longer exists fails too;
3. requests the URL as every role, on the role's *own* side and on the *other* side of the
   world built by :mod:`tests.access.world`, and checks the answer against the declaration.

Roles: ``anonymous`` (nobody signed in) and the membership roles of
``sayembara.accounts.enums.Role``: ``organiser``, ``admin_lokal``, ``operator``, ``judge``,
``field_verifier``, ``auditor`` and ``platform_admin`` (who creates organisers and belongs to
none of them). Each signed-in role is a user of the *own* side (see
``world.py`` for what each one holds).

Declaring expectations
======================

Each interface app has ``tests/access/expect_<app>.py`` with a dict ``EXPECT`` from URL name
to :class:`Expect`::

    from tests.access.matrix import PUBLIC, SIGNED_IN, Expect

    EXPECT = {
        # No URL arguments: only the own side is probed.
        "web:editions": Expect(allow=SIGNED_IN),
        # URL arguments built from a side of the world (the same callable builds the own
        # and the other side's URL).
        "web:edition_dashboard": Expect(
            kwargs=lambda side: {"slug": side.edition.slug},
            allow={"organiser"},
        ),
        # A POST-only view: probed with POST and the minimal data it needs.
        "jury:sheet_submit": Expect(
            kwargs=lambda side: {"pk": side.sheet.pk},
            method="POST",
            data=lambda side: {"version": side.sheet.version},
            allow={"judge"},
        ),
        # A public page: everyone, on either side.
        "public:index": Expect(allow=PUBLIC),
    }

Fields of :class:`Expect`:

``allow``
    The roles allowed on their *own* side: a set of role names, :data:`SIGNED_IN` (every
    signed-in role) or :data:`PUBLIC` (everyone including anonymous, on both sides).
``kwargs``
    ``side -> dict`` of URL keyword arguments. Leave it out for URLs without arguments; then
    there is no "other side" and only the own side is probed.
``method``
    ``"GET"`` (default) or ``"POST"``. Each request runs inside a savepoint that is rolled
    back, so a POST that changes data does not disturb the next probe.
``data``
    ``side -> dict`` (or a dict) sent as the form body (POST) or the query string (GET).
``post_data``
    ``side -> dict`` (or a dict) sent when a GET URL is also probed with POST (see below).
    Default: an empty form.
``post_only``
    The view answers GET with 405 (``require_POST``) and is probed with GET: a 405 then
    counts as allowed, because the permission check ran first and let the request through.
``other_allow``
    Roles allowed on the *other* side. Default: nobody, except for :data:`PUBLIC` pages,
    which are allowed for everyone on both sides. Use it for pages that are public on
    purpose for some objects only (and say why in ``note``).
``token``
    The address is the API's and takes a bearer token instead of a session
    (``/api/v1/organiser/...``): the ``organiser`` role sends a token of its *own* organiser
    with every permission (made by ``expect_api.extend``), on both sides; no other role can
    hold one and sends none. A POST sends ``data`` as JSON, as the API takes it. A 401 counts
    as refused.
``note``
    Why the declaration is what it is, when it is not obvious.

Every URL is posted to as well
==============================

A URL declared with ``method="GET"`` (and not ``post_only``) is also probed with a POST as
every role on both sides, because a page that shows a form on GET changes state on POST. The
same roles must be refused there: 403, 404, 405 or (anonymous) the login page. For an allowed
role any answer but a refusal or a server error counts: 2xx, a redirect, 400, 409 or 422 (the
form's problems) or 405 (the page only reads). ``post_data`` gives the form body when an
empty one is not enough to reach the view's own checks.

What counts as allowed and refused
==================================

*Allowed*: a 2xx answer, or a redirect that does not go to the login page (or 405 for a
``post_only`` view). *Refused*: for ``anonymous`` a redirect to the login page (or a 404
from a public page for an object that is not public); for a signed-in user 403 or 404
(``requires`` answers 404 for objects the user may not see, so their existence does not
leak). Anything else (a 500, a 200 where a refusal was declared,
a 404 where access was declared) fails with the URL, the role and the side.

The world
=========

``world.py`` builds two complete sides, ``world.own`` and ``world.other``, each with an
organiser, an edition created from a built-in template, a parent and a child institution, an
entry, a judge's seat with an assignment and a score sheet, and one user per role. A side's
objects are attributes: ``side.organiser``, ``side.edition``, ``side.parent_institution``,
``side.institution`` (the child unit, where the entry comes from), ``side.entry``,
``side.stage`` (the first stage), ``side.judge`` (the judge's seat), ``side.assignment``,
``side.sheet``, ``side.verifier`` (the field verifier's seat), ``side.users[role]``.

An expectation file that needs more objects (a vote, a certificate, a second entry in
another state) defines ``extend(side)``; it is called once for each side after the world
is built and stores what it creates on the side by name: ``side.add("vote", vote)``, then
``side.vote`` in ``kwargs``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from sayembara.accounts.enums import Role

ANONYMOUS = "anonymous"
SIGNED_IN_ROLES: tuple[str, ...] = tuple(role.value for role in Role)
ROLES: tuple[str, ...] = (ANONYMOUS, *SIGNED_IN_ROLES)

#: Everyone, signed in or not, on both sides.
PUBLIC = frozenset(ROLES)
#: Every signed-in role (own side).
SIGNED_IN = frozenset(SIGNED_IN_ROLES)

SIDES = ("own", "other")


@dataclass(frozen=True)
class Expect:
    """Who may open one URL; see the module docstring."""

    allow: frozenset[str] | set[str]
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    method: str = "GET"
    data: Callable[[Any], dict[str, Any]] | dict[str, Any] | None = None
    post_only: bool = False
    post_data: Callable[[Any], dict[str, Any]] | dict[str, Any] | None = None
    other_allow: frozenset[str] | set[str] | None = None
    token: bool = False
    note: str = ""

    def __post_init__(self) -> None:
        unknown = set(self.allow) - set(ROLES)
        unknown |= set(self.other_allow or ()) - set(ROLES)
        if unknown:
            raise ValueError(f"Unknown roles {sorted(unknown)}; use {list(ROLES)}.")
        if self.method not in {"GET", "POST"}:
            raise ValueError(f"method must be GET or POST, not {self.method!r}.")

    @property
    def is_public(self) -> bool:
        return frozenset(self.allow) == PUBLIC

    def allowed(self, role: str, side: str) -> bool:
        if side == "own":
            return role in self.allow
        if self.other_allow is not None:
            return role in self.other_allow
        return self.is_public

    def sides(self) -> tuple[str, ...]:
        return SIDES if self.kwargs is not None else ("own",)

    def build_data(self, side: Any) -> dict[str, Any]:
        if self.data is None:
            return {}
        return self.data(side) if callable(self.data) else dict(self.data)

    def build_post_data(self, side: Any) -> dict[str, Any]:
        if self.post_data is None:
            return {}
        return self.post_data(side) if callable(self.post_data) else dict(self.post_data)


@dataclass(frozen=True)
class UrlEntry:
    """One named URL pattern of the configuration."""

    name: str
    route: str
    callback: Callable[..., Any]

    @property
    def namespace(self) -> str | None:
        return self.name.rsplit(":", 1)[0] if ":" in self.name else None

    @property
    def expectation_file(self) -> str:
        app = (self.namespace or "web").split(":")[0]
        return f"tests/access/expect_{app}.py"


def url_entries() -> list[UrlEntry]:
    """Every URL pattern of the project, with its full namespaced name (unnamed ones too,
    as ``<unnamed ...>``, so that they fail the declaration check)."""
    found: list[UrlEntry] = []

    def walk(patterns: list[Any], prefix: str, namespaces: tuple[str, ...]) -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = (*namespaces, pattern.namespace) if pattern.namespace else namespaces
                walk(pattern.url_patterns, route, inner)
            elif isinstance(pattern, URLPattern):
                if pattern.name:
                    name = ":".join((*namespaces, pattern.name))
                else:
                    name = f"<unnamed {route}>"
                found.append(UrlEntry(name=name, route=route, callback=pattern.callback))

    walk(get_resolver().url_patterns, "/", ())
    return found


def expectation_modules() -> Iterator[Any]:
    """The ``tests/access/expect_*.py`` modules, imported."""
    import importlib
    import pkgutil

    import tests.access as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("expect_"):
            yield importlib.import_module(f"tests.access.{info.name}")


def expectations() -> tuple[dict[str, Expect], list[str]]:
    """All declared expectations, and problems (a URL declared in two files)."""
    merged: dict[str, Expect] = {}
    origin: dict[str, str] = {}
    problems: list[str] = []
    for module in expectation_modules():
        short = module.__name__.rsplit(".", 1)[1]
        for name, expect in getattr(module, "EXPECT", {}).items():
            if name in merged:
                problems.append(f"{name} is declared in both {origin[name]}.py and {short}.py.")
                continue
            if not isinstance(expect, Expect):
                problems.append(f"{short}.py declares {name} with {expect!r}, not an Expect.")
                continue
            merged[name] = expect
            origin[name] = short
    return merged, problems


def is_login_redirect(response: Any) -> bool:
    from django.conf import settings
    from django.shortcuts import resolve_url

    login_url = resolve_url(settings.LOGIN_URL)
    return response.status_code in (301, 302, 303, 307, 308) and response[
        "Location"
    ].split("?")[0] == login_url


def verdict(response: Any, *, expect: Expect, role: str) -> str:
    """``allowed``, ``refused`` or ``unexpected`` for one answer."""
    status = response.status_code
    if 200 <= status < 300:
        return "allowed"
    if 300 <= status < 400:
        if is_login_redirect(response):
            return "refused" if role == ANONYMOUS else "unexpected"
        return "allowed"
    if status == 405 and expect.post_only:
        return "allowed"
    if status in (401, 403, 404):
        return "refused"
    return "unexpected"


#: A 405 to a POST: the view only reads (or refused the method first); nothing changed.
READ_ONLY = "read_only"


def post_verdict(response: Any, *, expect: Expect, role: str, allowed: bool) -> str:
    """``allowed``, ``refused``, :data:`READ_ONLY` or ``unexpected`` for a POST sent to a page
    declared with GET; :data:`READ_ONLY` is right for allowed and refused roles alike."""
    status = response.status_code
    if status == 405:
        # The view only reads, or refuses the method before anything else: nothing changed.
        return READ_ONLY
    if is_login_redirect(response):
        if allowed and expect.is_public:
            # A public page may itself send its visitor to sign in (an accepted invitation).
            return "allowed"
        return "refused" if role == ANONYMOUS else "unexpected"
    if status in (401, 403, 404):
        return "refused"
    if 200 <= status < 400 or status in (400, 409, 422):
        # Done, or refused for what the form said (the view ran its own checks).
        return "allowed"
    return "unexpected"
