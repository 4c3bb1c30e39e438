"""Full addresses of this site's pages, for what is read away from the site: every link in
an e-mail and every certificate's QR code.

They are built from ``SAYEMBARA_PUBLIC_URL`` (the address people open the site at, see
docs/deployment.md), never from the address a request happened to use: a background task
has no request, and a request's Host header is whatever its sender wrote.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def public_address(path: str) -> str:
    """``path`` (``/peserta/entri/7/``) as a full address on the public site."""
    base = (getattr(settings, "SAYEMBARA_PUBLIC_URL", "") or "").rstrip("/")
    return base + path


def public_url(viewname: str, *args, **kwargs) -> str:
    """``reverse(viewname, …)`` as a full address on the public site."""
    return public_address(reverse(viewname, args=args or None, kwargs=kwargs or None))
