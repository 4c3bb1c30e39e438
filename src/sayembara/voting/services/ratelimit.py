"""Fixed-window rate limits kept in the Django cache (Redis when REDIS_URL is set)."""

from __future__ import annotations

import ipaddress
import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from sayembara.voting.errors import RateLimited


def network_of(ip: str | None) -> str:
    """The /24 (IPv4) or /64 (IPv6) network of an address, used to group votes."""
    if not ip:
        return ""
    parts = ip.split(".")
    if len(parts) == 4 and all(p.isdigit() and int(p) < 256 for p in parts):
        return f"{parts[0]}.{parts[1]}.{parts[2]}.0/24"
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    prefix = 24 if address.version == 4 else 64
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


def hit(key: str, *, limit: int, window: int) -> None:
    """Count one attempt for ``key``; raise RateLimited past ``limit`` per ``window`` seconds."""
    now = int(time.time())
    slot = now // window
    cache_key = f"rl:{key}:{slot}"
    try:
        count = cache.incr(cache_key)  # the usual case: the window's counter exists
    except ValueError:
        if cache.add(cache_key, 1, timeout=window + 5):
            count = 1
        else:  # another request created it in between
            count = cache.incr(cache_key)
    if count > limit:
        retry = (slot + 1) * window - now
        raise RateLimited(
            _("Too many attempts from here. Wait %(seconds)s seconds and try again.")
            % {"seconds": retry},
            retry_after=retry,
        )
