"""A self-hosted proof-of-work challenge (no third-party captcha).

The server hands out a signed challenge ``token``; the browser searches for a ``solution``
such that SHA-256(``token`` + ":" + ``solution``) starts with ``bits`` zero bits (about
2**bits hashes, well under a second on a phone at the default 16 bits) and sends both back.
Checking costs one hash. A challenge is valid for ``POW_MAX_AGE`` seconds and can be spent
once: the shared counters remember spent challenges, and a vote also stores its challenge under a
unique constraint, so a replayed solution is refused by every server process.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from sayembara.common.params import is_plain_int
from sayembara.common.services import counters
from sayembara.voting.errors import Refused
from sayembara.voting.services import tokens

POW_SALT = "sayembara.voting.pow"
POW_MAX_AGE = 600


def difficulty() -> int:
    return int(getattr(settings, "VOTING_POW_BITS", 16))


@dataclass(frozen=True)
class Challenge:
    token: str
    bits: int


def issue_challenge(*, purpose: str) -> Challenge:
    bits = difficulty()
    nonce = secrets.token_hex(12)
    token = tokens.sign(f"{purpose}-{bits}-{nonce}", salt=POW_SALT)
    return Challenge(token=token, bits=bits)


def leading_zero_bits(digest: bytes) -> int:
    count = 0
    for byte in digest:
        if byte == 0:
            count += 8
            continue
        count += 8 - byte.bit_length()
        break
    return count


def solve(token: str, bits: int) -> str:
    """Find a solution (used by tests, benchmarks and command-line clients)."""
    counter = 0
    prefix = f"{token}:".encode()
    while True:
        if leading_zero_bits(hashlib.sha256(prefix + str(counter).encode()).digest()) >= bits:
            return str(counter)
        counter += 1


def check_solution(*, token: str, solution: str, purpose: str) -> str:
    """Verify and spend a challenge; returns its nonce. Raises Refused with the reason."""
    if not token or not solution:
        raise Refused(_("The anti-robot check is missing. Make sure JavaScript is enabled, "
                        "reload the page and try again."))
    try:
        value = tokens.unsign(token, salt=POW_SALT, max_age=POW_MAX_AGE)
    except tokens.ExpiredToken:
        raise Refused(_("The anti-robot check has expired. Reload the page and try again.")) \
            from None
    except tokens.BadToken:
        raise Refused(_("The anti-robot check is not valid. Reload the page and try again.")) \
            from None
    token_purpose, bits_text, nonce = value.split("-", 2)
    if token_purpose != purpose:
        raise Refused(_("The anti-robot check was made for another form. Reload the page and "
                        "try again."))
    if len(solution) > 20 or not is_plain_int(solution):
        raise Refused(_("The anti-robot check answer is not a number. Reload the page and "
                        "try again."))
    digest = hashlib.sha256(f"{token}:{solution}".encode()).digest()
    if leading_zero_bits(digest) < int(bits_text):
        raise Refused(_("The anti-robot check answer is wrong. Reload the page and try again."))
    if not counters.add_once(f"pow:{nonce}", ttl=POW_MAX_AGE + 60):
        raise Refused(_("This anti-robot check was already used. Each vote or request needs a "
                        "fresh one: reload the page and try again."), status=409)
    return nonce
