"""Compact signed tokens for the vote path (proof-of-work challenges, voter cookies).

``value.timestamp.signature`` with an HMAC-SHA256 whose key is derived once per process
from SECRET_KEY and a purpose salt; checking one costs a single HMAC, which matters on the
endpoint that takes every vote.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from functools import lru_cache

from django.conf import settings


class BadToken(Exception):
    pass


class ExpiredToken(BadToken):
    pass


@lru_cache(maxsize=16)
def _key(secret: str, salt: str) -> bytes:
    return hashlib.sha256(f"sayembara.tokens:{salt}:{secret}".encode()).digest()


def _mac(salt: str, message: str) -> str:
    digest = hmac.new(_key(settings.SECRET_KEY, salt), message.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest[:18]).decode()


def sign(value: str, *, salt: str, now: float | None = None) -> str:
    message = f"{value}.{int(now if now is not None else time.time()):x}"
    return f"{message}.{_mac(salt, message)}"


def unsign(token: str, *, salt: str, max_age: int) -> str:
    """The signed value; BadToken when altered, ExpiredToken when older than max_age."""
    message, _, signature = token.rpartition(".")
    if not message or not hmac.compare_digest(signature, _mac(salt, message)):
        raise BadToken
    value, _, stamp = message.rpartition(".")
    try:
        age = time.time() - int(stamp, 16)
    except ValueError:
        raise BadToken from None
    if age > max_age:
        raise ExpiredToken
    return value
