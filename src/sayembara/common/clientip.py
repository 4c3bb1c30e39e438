"""The address a request comes from, behind trusted reverse proxies or not.

``SAYEMBARA_TRUSTED_PROXIES`` says which proxies may tell us the client's address in
``X-Forwarded-For``:

- empty (the default): none. The address is the connection's own (``REMOTE_ADDR``), and a
  ``X-Forwarded-For`` sent by anyone is ignored, since a client could write anything there;
- a number ``N``: exactly ``N`` proxies stand in front of the server, each appending the
  address it received the request from. The client is the ``N``-th address from the right of
  the chain ``X-Forwarded-For, REMOTE_ADDR``; what a client wrote further left is ignored;
- networks (``10.0.0.0/8,192.0.2.7``): every proxy has an address in one of them. Going from
  the connection leftwards through the chain, the first address outside these networks is
  the client.

The chain is parsed and the client picked by django-ipware (python-ipware's engine), which
also handles ports, brackets, IPv4-mapped IPv6 and malformed entries.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from ipware import get_client_ip

_HEADER = "HTTP_X_FORWARDED_FOR"


@lru_cache(maxsize=8)
def parse_trusted_proxies(value: str) -> int | tuple[ipaddress._BaseNetwork, ...]:
    """``"2"`` → 2; ``"10.0.0.0/8, 192.0.2.7"`` → networks; empty → 0.

    Raises ValueError naming what is wrong (the deployment check reports it)."""
    value = (value or "").strip()
    if not value:
        return 0
    if value.isascii() and value.isdigit():
        count = int(value)
        if count > 10:
            raise ValueError(f"SAYEMBARA_TRUSTED_PROXIES={value}: more than 10 proxies")
        return count
    networks = []
    for item in value.split(","):
        item = item.strip()
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ValueError(f"SAYEMBARA_TRUSTED_PROXIES: {item!r} is neither a number of "
                             "proxies nor a network such as 10.0.0.0/8") from None
    return tuple(networks)


def _address(text: str) -> ipaddress._BaseAddress | None:
    try:
        address = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _trusted_hops(chain: list[str], networks: tuple) -> int:
    """How many addresses at the right end of ``chain`` belong to trusted proxies."""
    hops = 0
    for text in reversed(chain):
        address = _address(text)
        if address is None or not any(address in network for network in networks):
            break
        hops += 1
    return min(hops, len(chain) - 1)


def client_ip(request) -> str | None:
    """The client's address as a string, or None when the request carries none."""
    remote = request.META.get("REMOTE_ADDR") or ""
    trusted = parse_trusted_proxies(getattr(settings, "SAYEMBARA_TRUSTED_PROXIES", ""))
    forwarded = request.META.get(_HEADER, "")
    if not trusted or not forwarded or not remote:
        return remote or None
    chain = [part.strip() for part in forwarded.split(",") if part.strip()] + [remote]
    if isinstance(trusted, int):
        count = min(trusted, len(chain) - 1)
    else:
        count = _trusted_hops(chain, trusted)
        if count == 0:  # the connection is not from a trusted proxy: ignore the header
            return remote
    meta = {_HEADER: ", ".join(chain)}
    found, _routable = get_client_ip(
        _MetaRequest(meta), proxy_count=count, request_header_order=[_HEADER], strict=False)
    return found or remote


class _MetaRequest:
    """What django-ipware reads of a request: its META."""

    def __init__(self, meta: dict[str, str]) -> None:
        self.META = meta
