"""The anti-robot check of the public forms: an ALTCHA proof of work (no third-party service).

The server issues a challenge with the ``altcha`` library (protocol v2, SHA-256): a random
nonce and salt, the purpose it is for (``vote``, ``code``, ``feedback``) and an expiry, all
signed with a key derived from ``SECRET_KEY``. It picks a secret counter below
``2 ** VOTING_POW_BITS`` and signs the key that counter derives; the browser's ALTCHA widget
tries counters from zero until it finds that key (about ``2 ** (bits - 1)`` hashes on
average, well under a second on a phone at the default 16 bits) and sends the payload back
in the form field ``altcha``. Checking costs two HMACs. A challenge is valid for
``POW_MAX_AGE`` seconds and can be spent once, by any server process: spent nonces are kept
in the shared counters, and a vote also stores its nonce under a unique constraint.
"""

from __future__ import annotations

import base64
import json
import secrets
import time
from dataclasses import dataclass

import altcha
from django.conf import settings
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from sayembara.common.services import counters
from sayembara.voting.errors import Refused

POW_MAX_AGE = 600
ALGORITHM = "SHA-256"
#: The form field the widget fills (its default name).
FIELD = "altcha"
PURPOSES = ("vote", "code", "feedback", "login")
_PAYLOAD_MAX = 4000


def difficulty() -> int:
    return int(getattr(settings, "VOTING_POW_BITS", 16))


def _secret(purpose: str) -> str:
    return salted_hmac(f"sayembara.voting.altcha.{purpose}", "key").hexdigest()


@dataclass(frozen=True)
class Challenge:
    """An issued challenge: what the widget fetches (``data``), and its nonce."""

    data: dict
    nonce: str


def issue_challenge(*, purpose: str) -> Challenge:
    challenge = altcha.create_challenge(
        ALGORITHM, 1, counter=secrets.randbelow(2 ** difficulty()),
        expires_at=int(time.time()) + POW_MAX_AGE, data={"purpose": purpose},
        hmac_secret=_secret("challenge"), hmac_key_secret=_secret("key"),
    )
    return Challenge(data=challenge.to_dict(), nonce=challenge.parameters.nonce)


def solve(challenge: Challenge) -> str:
    """The payload a browser would send (used by tests, benchmarks and the demo's voters)."""
    parsed = altcha.Challenge.from_dict(challenge.data)
    solution = altcha.solve_challenge(parsed)
    return altcha.Payload(parsed, solution).to_base64()


def check_solution(*, payload: str, purpose: str) -> str:
    """Verify and spend a challenge; returns its nonce. Raises Refused with the reason."""
    if not payload:
        raise Refused(_("The anti-robot check is missing. Make sure JavaScript is enabled, "
                        "reload the page and try again."))
    if len(payload) > _PAYLOAD_MAX:
        raise Refused(_("The anti-robot check is not valid. Reload the page and try again."))
    try:
        decoded = json.loads(base64.b64decode(payload, validate=True))
        data = decoded["challenge"]["parameters"].get("data") or {}
        nonce = str(decoded["challenge"]["parameters"]["nonce"])
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise Refused(_("The anti-robot check is not valid. Reload the page and try "
                        "again.")) from None
    result = altcha.verify_solution(payload, _secret("challenge"),
                                    hmac_key_secret=_secret("key"))
    if result.expired:
        raise Refused(_("The anti-robot check has expired. Reload the page and try again."))
    if result.invalid_signature or result.error:
        raise Refused(_("The anti-robot check is not valid. Reload the page and try again."))
    if not isinstance(data, dict) or data.get("purpose") != purpose:
        raise Refused(_("The anti-robot check was made for another form. Reload the page and "
                        "try again."))
    if not result.verified:
        raise Refused(_("The anti-robot check answer is wrong. Reload the page and try again."))
    if not counters.add_once(f"pow:{nonce[:64]}", ttl=POW_MAX_AGE + 60):
        raise Refused(_("This anti-robot check was already used. Each vote or request needs a "
                        "fresh one: reload the page and try again."), status=409)
    return nonce[:64]
