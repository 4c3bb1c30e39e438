"""The one place where views declare and check permissions.

Every view is wrapped with :func:`requires`, naming a permission registered with ``rules``
(each data app's ``rules.py``) or :data:`PUBLIC`. The access-matrix test walks every URL
pattern and fails for a view that declares nothing, so a new page cannot slip in unguarded.

Object-level permissions take a ``loader`` that fetches the object from the URL arguments.
A logged-in user who may not see the object gets the same 404 as for a missing object, so
existence never leaks (the fetch-and-authorise pattern); an anonymous visitor is sent to the
login page.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

PUBLIC = "__public__"
AUTHENTICATED = "__authenticated__"
#: The API's organiser addresses: a bearer token of the organiser, with the scope the address
#: needs, checked by the API itself (``sayembara.api.auth``); signed-in sessions count for
#: nothing there.
API_TOKEN = "__api_token__"

Loader = Callable[..., Any]


def has_permission(user: Any, perm: str, obj: Any = None) -> bool:
    if perm == PUBLIC:
        return True
    if perm == AUTHENTICATED:
        return bool(user.is_authenticated)
    return bool(user.has_perm(perm, obj))


def requires(perm: str, *, loader: Loader | None = None, hide: bool = True) -> Callable:
    """Declare the permission of a view.

    ``loader(request, **kwargs)`` returns the object checked (raising Http404 when missing);
    the view then receives it as ``request.checked_object``. With ``hide=False`` a refusal
    answers 403 instead of 404 (for objects whose existence is public anyway).
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            obj = loader(request, **kwargs) if loader is not None else None
            if not has_permission(request.user, perm, obj):
                if not request.user.is_authenticated and perm != PUBLIC:
                    return redirect_to_login(request.get_full_path())
                if obj is not None and hide:
                    raise Http404
                raise PermissionDenied
            request.checked_object = obj  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapped.sayembara_permission = perm  # type: ignore[attr-defined]
        return wrapped

    return decorator


def declare(perm: str) -> Callable:
    """Mark a view whose permission is checked by other means than :func:`requires` (the
    API's token authentication), so the access matrix knows what it declares."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        view.sayembara_permission = perm  # type: ignore[attr-defined]
        return view

    return decorator


def declared_permission(view: Callable) -> str | None:
    """The permission a view declared with :func:`requires`, or None."""
    target = getattr(view, "view_class", None) or view
    for candidate in (view, target, getattr(view, "__wrapped__", None)):
        perm = getattr(candidate, "sayembara_permission", None)
        if perm:
            return perm
    return None
