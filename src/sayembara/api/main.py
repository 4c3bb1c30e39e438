"""The REST API (django-ninja): ``/api/v1/`` public and organiser endpoints, the OpenAPI
schema at ``/api/openapi.json`` and its browsable page at ``/api/docs``.

Every answer is JSON with a ``detail`` sentence when something is refused (in the site's
language), except the results bundle (a zip).
"""

from __future__ import annotations

import functools

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from sayembara.api import organiser, public
from sayembara.api.auth import RateLimited, ScopeMissing

DESCRIPTION = """\
Sayembara's data for other systems.

* **Public** (no token): competitions and editions, their categories, stages, awards and rules,
  published results, the innovation catalogue and certificate verification.
* **Organiser** (`Authorization: Bearer sym_…`): a token created on the *API tokens* page,
  belonging to one organiser, with the permissions `read`, `import` and/or `export`.
  Every use of a token is written to the audit log; a token answers 401 once it is revoked or
  has expired, 403 for an address its permissions do not cover, and 429 (with
  `Retry-After`) when it is used too often.

Lists are paged (`page`, from 1); each answer gives `count`, `page` and `pages`.
"""

api = NinjaAPI(
    title="Sayembara API", version="1", description=DESCRIPTION, urls_namespace="api",
    openapi_url="/openapi.json", docs_url="/docs",
)


def only_declared_parameters(run):
    """Refuse a query parameter the operation does not take (422), rather than ignore it: a
    misspelt filter would otherwise answer everything."""
    operation = getattr(run, "__self__", None)
    names = {
        field.alias or name
        for model in getattr(operation, "models", [])
        if getattr(model, "__ninja_param_source__", None) == "query"
        for name, field in model.model_fields.items()
    }

    @functools.wraps(run)
    def checked(request, *args, **kwargs):
        unknown = sorted(set(request.GET) - names)
        if unknown:
            return api.create_response(request, {"detail": [
                {"loc": ["query", name[:40]], "type": "extra_forbidden",
                 "msg": _("This address takes no parameter “%(name)s”.") % {"name": name[:40]}}
                for name in unknown[:10]]}, status=422)
        return run(request, *args, **kwargs)

    return checked


api.add_decorator(only_declared_parameters, mode="view")
api.add_router("/v1/", public.router)
api.add_router("/v1/organiser/", organiser.router)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    response = api.create_response(request, {"detail": _(
        "A valid API token is needed: send “Authorization: Bearer <token>”. A revoked or "
        "expired token is refused.")}, status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(ScopeMissing)
def scope_missing(request, exc):
    return api.create_response(request, {"detail": str(exc)}, status=403)


@api.exception_handler(RateLimited)
def rate_limited(request, exc):
    response = api.create_response(request, {"detail": ngettext(
        "This token made too many requests; try again in %(seconds)s second.",
        "This token made too many requests; try again in %(seconds)s seconds.",
        exc.retry_after) % {"seconds": exc.retry_after}}, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response
