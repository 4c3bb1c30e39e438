"""Who calls the organiser's API: a bearer token, its scopes, and the audit of each use."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer

from sayembara.accounts.enums import TokenScope
from sayembara.accounts.services.api_tokens import rate_limit, record_use, token_from_secret
from sayembara.common.clientip import client_ip


class ScopeMissing(Exception):
    """The token is valid but was not given the permission this address needs."""


class RateLimited(Exception):
    """The token made more requests than its limit in the current window."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        super().__init__(retry_after)


def check_rate(token: Any) -> None:
    """Count one request of ``token`` in the shared counters (Redis, else the database), so
    the limit holds whichever server process answers."""
    from sayembara.common.services import counters

    limit, window = rate_limit()
    key = f"api-token:{token.pk}"
    if counters.incr(key, ttl=window) > limit:
        raise RateLimited(retry_after=max(1, counters.seconds_left(key)))


class TokenAuth(HttpBearer):
    """``Authorization: Bearer sym_…``: an active token of one organiser with ``scope``."""

    openapi_scheme = "bearer"

    def __init__(self, scope: TokenScope):
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_from_secret(token.strip())
        if found is None:
            return None
        request.sayembara_api_token = found  # type: ignore[attr-defined]
        check_rate(found)
        if self.scope not in found.scopes:
            raise ScopeMissing(_("This token may not %(what)s; create one with that "
                                 "permission on the API tokens page.")
                               % {"what": SCOPE_VERBS[self.scope]()})
        return found


SCOPE_VERBS = {
    TokenScope.READ: lambda: _("read entries and editions"),
    TokenScope.IMPORT: lambda: _("import institutions and entries"),
    TokenScope.EXPORT: lambda: _("export scores and results"),
}


class TokenUseAuditMiddleware:
    """Records every request that carried a valid token, with the answer's status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        token = getattr(request, "sayembara_api_token", None)
        if token is not None and response.status_code != 429:
            record_use(token=token, method=request.method, path=request.get_full_path(),
                       status=response.status_code,
                       edition_id=getattr(request, "sayembara_api_edition_id", None),
                       ip=client_ip(request))
        return response
