"""Where to go after a form: the ``next`` address, only when it stays on this site."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request: HttpRequest, default: str) -> str:
    """The request's ``next`` (the form's, else the query string's) when it points to this
    site, else ``default``.

    Every view that follows a ``next`` goes through here, so a link such as
    ``?next=https://evil.example/phish`` (or ``//evil.example``, ``/\\evil.example``,
    ``javascript:...``) never sends a signed-in person to another site. Checked with
    Django's ``url_has_allowed_host_and_scheme`` against this request's host, and only to
    https when the request itself came over https.
    """
    target = request.POST.get("next") or request.GET.get("next") or ""
    # Only an address: a bare word would be taken by redirect() for the name of a view.
    if not target.startswith(("/", "http://", "https://")):
        return default
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
