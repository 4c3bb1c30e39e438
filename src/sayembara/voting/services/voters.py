"""Verifying members of the public by a one-time code (e-mail; SMS or WhatsApp pluggable)."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara.common.params import is_plain_int
from sayembara.voting.enums import CodeChannel
from sayembara.voting.errors import Refused
from sayembara.voting.models import Voter, VoterCode
from sayembara.voting.services import pow, ratelimit, tokens

CODE_LIFETIME = dt.timedelta(minutes=10)
MAX_CODE_ATTEMPTS = 5
VOTER_SALT = "sayembara.voting.voter"
VOTER_TOKEN_MAX_AGE = 60 * 60 * 24 * 30


def normalise_address(address: str, *, channel: str = CodeChannel.EMAIL) -> str:
    value = (address or "").strip()
    if channel == CodeChannel.EMAIL:
        value = value.lower()
        try:
            EmailValidator()(value)
        except ValidationError:
            raise Refused(
                _("%(value)s is not an e-mail address. Write it like nama@contoh.id.")
                % {"value": value or _("An empty value")}
            ) from None
        return value
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) < 8:
        raise Refused(_("%(value)s is not a phone number. Write it with the country code, "
                        "like +62 812 3456 7890.") % {"value": value})
    return "+" + digits


def _code_hash(voter_id: int, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{voter_id}:{code}".encode(), hashlib.sha256).hexdigest()


def request_code(*, address: str, ip: str | None, proof: str,
                 channel: str = CodeChannel.EMAIL, zone: str = "") -> VoterCode:
    """Send a one-time code to ``address`` (after the proof of work and rate limits).

    ``zone`` (WIB, WITA, WIT) is the zone of the competition the person votes in: the
    message gives the code's expiry in it."""
    normalised = normalise_address(address, channel=channel)
    ratelimit.hit(f"code-ip:{ip}", limit=20, window=3600)
    ratelimit.hit(f"code-addr:{normalised}", limit=3, window=600)
    pow.check_solution(payload=proof, purpose="code")
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        voter, _created = Voter.objects.get_or_create(
            channel=channel, address=normalised,
            defaults={"domain": normalised.rsplit("@", 1)[-1] if "@" in normalised else "",
                      "created_ip": ip},
        )
        row = VoterCode.objects.create(
            voter=voter, code_hash=_code_hash(voter.pk, code), ip=ip,
            expires_at=timezone.now() + CODE_LIFETIME,
        )
        from sayembara.voting.tasks import send_code

        transaction.on_commit(lambda: send_code.enqueue(row.pk, code, zone))
    return row


def verify_code(*, address: str, code: str, channel: str = CodeChannel.EMAIL) -> Voter:
    """Check the newest code sent to ``address``; returns the now verified voter."""
    normalised = normalise_address(address, channel=channel)
    code = (code or "").strip().replace(" ", "")
    if not (len(code) == 6 and code.isdigit()):
        raise Refused(_("The code has six digits, like 123456. Type the code from the message "
                        "we sent you."))
    left = None
    with transaction.atomic():
        row = (
            VoterCode.objects.select_for_update()
            .select_related("voter")
            .filter(voter__channel=channel, voter__address=normalised, used_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        now = timezone.now()
        if row is None:
            raise Refused(_("No code is waiting for %(address)s. Ask for a code first.")
                          % {"address": normalised})
        if row.expires_at <= now:
            raise Refused(_("The code has expired (codes are valid for %(minutes)s minutes). "
                            "Ask for a new code.")
                          % {"minutes": int(CODE_LIFETIME.total_seconds() // 60)})
        if row.attempts >= MAX_CODE_ATTEMPTS:
            raise Refused(_("Too many wrong codes were typed. Ask for a new code."),
                          status=429)
        if hmac.compare_digest(row.code_hash, _code_hash(row.voter_id, code)):
            row.used_at = now
            row.save(update_fields=["used_at"])
            voter = row.voter
            if voter.verified_at is None:
                voter.verified_at = now
                voter.save(update_fields=["verified_at"])
        else:
            # The failed try must be committed, so the refusal is raised after the block.
            VoterCode.objects.filter(pk=row.pk).update(attempts=row.attempts + 1)
            left = MAX_CODE_ATTEMPTS - row.attempts - 1
    if left is not None:
        raise Refused(ngettext("The code is not correct. Check the newest message we sent "
                               "you (%(left)s try left).",
                               "The code is not correct. Check the newest message we sent "
                               "you (%(left)s tries left).", left) % {"left": left})
    return voter


def voter_token(voter: Voter) -> str:
    """A signed token naming the verified voter (kept in a cookie; no session row)."""
    return tokens.sign(str(voter.pk), salt=VOTER_SALT)


def voter_id_from_token(token: str | None) -> int | None:
    if not token:
        return None
    try:
        value = tokens.unsign(token, salt=VOTER_SALT, max_age=VOTER_TOKEN_MAX_AGE)
    except tokens.BadToken:
        return None
    return int(value) if is_plain_int(value) else None
