"""Fixed-window rate limits in the shared counters (Redis when REDIS_URL is set, otherwise
the database), so every server process counts against the same limit."""

from __future__ import annotations

import ipaddress
import time

from django.utils.translation import ngettext

from sayembara.common.services import counters
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
    count = counters.incr(f"rl:{key}:{slot}", ttl=window + 5)
    if count > limit:
        retry = (slot + 1) * window - now
        raise RateLimited(
            ngettext("Too many attempts from here. Wait %(seconds)s second and try again.",
                     "Too many attempts from here. Wait %(seconds)s seconds and try again.",
                     retry) % {"seconds": retry},
            retry_after=retry,
        )
