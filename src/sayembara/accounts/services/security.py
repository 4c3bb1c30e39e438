"""Two-step verification: an authenticator app (TOTP, RFC 6238) and recovery codes.

- Code attempts are throttled per account in the shared counters: each attempt is counted
  before it is checked, and after ``TWO_STEP_ATTEMPT_LIMIT`` wrong ones in
  ``TWO_STEP_LOCKOUT_MINUTES`` no code is checked until the time is up.
- Switching it off needs the password and a current code (or a recovery code).
- Recovery codes: ten, shown once, kept as salted hashes, each accepted once.
- An organiser may reset a member's two-step verification after checking who they are; the
  check is written in the audit event.
- ``SAYEMBARA_REQUIRE_TWO_STEP`` (on by default in production) makes organiser and judge
  accounts set it up before anything else (``accounts.middleware``).

The sign-in lockout is in :mod:`sayembara.accounts.services.lockout`.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

import pyotp
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, pbkdf2
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara.accounts.models import RecoveryCode, TOTPDevice
from sayembara.common.services import counters
from sayembara.common.services.audit import record_event
from sayembara.common.services.security import (
    RECOVERY_CODE_USED,
    RECOVERY_CODES_CREATED,
    TWO_STEP_RESET,
    TWO_STEP_THROTTLED,
)

SESSION_VERIFIED_KEY = "sayembara_2fa_verified"
#: Recovery codes freshly made, shown once on the next page and then dropped.
SESSION_NEW_CODES_KEY = "sayembara_new_recovery_codes"
RECOVERY_CODE_COUNT = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i
_PBKDF2_ITERATIONS = 20_000


class TwoStepError(Exception):
    """A refusal, with the sentence to show the person."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# -- throttling -------------------------------------------------------------------------

def attempt_limit() -> int:
    return int(getattr(settings, "TWO_STEP_ATTEMPT_LIMIT", 5))


def lockout_seconds() -> int:
    return int(getattr(settings, "TWO_STEP_LOCKOUT_MINUTES", 15)) * 60


def _attempts_key(user: Any) -> str:
    return f"two-step:{user.pk}"


def _throttled_message(user: Any) -> str:
    seconds = counters.seconds_left(_attempts_key(user)) or lockout_seconds()
    minutes = max(1, -(-seconds // 60))
    return ngettext("Too many wrong codes. Wait %(minutes)s minute before trying again, or "
                    "ask the secretariat to reset your two-step verification.",
                    "Too many wrong codes. Wait %(minutes)s minutes before trying again, or "
                    "ask the secretariat to reset your two-step verification.", minutes) % {
        "minutes": minutes}


def _reserve_attempt(user: Any) -> int:
    """Count this attempt before checking it; raise once the limit is passed."""
    count = counters.incr(_attempts_key(user), ttl=lockout_seconds())
    if count > attempt_limit():
        raise TwoStepError(_throttled_message(user), field="code")
    return count


def _attempt_failed(user: Any, count: int) -> None:
    if count == attempt_limit():
        counters.extend(_attempts_key(user), ttl=lockout_seconds())
        record_event(actor=user, action=TWO_STEP_THROTTLED, obj=user,
                     after={"attempts": count, "minutes": lockout_seconds() // 60})


def _attempt_succeeded(user: Any) -> None:
    counters.reset(_attempts_key(user))


# -- the authenticator app --------------------------------------------------------------

def user_needs_second_factor(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def two_step_required(user: Any) -> bool:
    """Must this account use two-step verification (organisers and judges, when required)?"""
    if not getattr(settings, "SAYEMBARA_REQUIRE_TWO_STEP", False):
        return False
    from sayembara.accounts.enums import Role
    from sayembara.accounts.models import Membership

    return Membership.objects.filter(
        user=user, role__in=[Role.ORGANISER, Role.JUDGE, Role.FIELD_VERIFIER]).exists()


def start_totp_enrolment(*, user: Any) -> TOTPDevice:
    """A new secret for an authenticator app; active only after a first correct code.

    An app already switched on is never replaced here (switch it off first)."""
    device = TOTPDevice.objects.filter(user=user).first()
    if device is not None and device.confirmed:
        return device
    device, _created = TOTPDevice.objects.update_or_create(
        user=user,
        defaults={"secret": pyotp.random_base32(), "confirmed": False, "last_counter": -1},
    )
    return device


def provisioning_uri(device: TOTPDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(
        name=device.user.email or device.user.username, issuer_name="Sayembara"
    )


def _digits(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isascii() and ch.isdigit())


def _check_totp(*, user: Any, code: str) -> bool:
    """Accept a 6-digit code once (the same time step is never accepted twice)."""
    code = _digits(code)
    if len(code) != 6:
        return False
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            return False
        totp = pyotp.TOTP(device.secret)
        now = timezone.now()
        for drift in (0, -1, 1):
            moment = now + dt.timedelta(seconds=30 * drift)
            counter = totp.timecode(moment)
            if counter > device.last_counter and totp.verify(code, for_time=moment):
                device.last_counter = counter
                device.save(update_fields=["last_counter"])
                return True
    return False


def confirm_totp(*, user: Any, code: str) -> list[str]:
    """Switch the app on with its first correct code; returns the new recovery codes."""
    count = _reserve_attempt(user)
    with transaction.atomic():
        if not _check_totp(user=user, code=code):
            _attempt_failed(user, count)
            raise TwoStepError(_("That code is not right. Check the time on your phone and "
                                 "enter the current code."), field="code")
        TOTPDevice.objects.filter(user=user).update(confirmed=True)
        record_event(actor=user, action="account.totp_enabled", obj=user)
        codes = _replace_recovery_codes(user)
    _attempt_succeeded(user)
    return codes


def verify_second_step(*, user: Any, code: str) -> str:
    """Check a code at sign-in: the app's current code or an unused recovery code.

    Returns ``"app"`` or ``"recovery"``; raises TwoStepError when refused or throttled."""
    count = _reserve_attempt(user)
    if _check_totp(user=user, code=code):
        _attempt_succeeded(user)
        return "app"
    if use_recovery_code(user=user, code=code):
        _attempt_succeeded(user)
        return "recovery"
    _attempt_failed(user, count)
    raise TwoStepError(_("That code is not right or was already used. Enter the current "
                         "code shown by your authenticator app, or one of your recovery "
                         "codes."), field="code")


def disable_totp(*, user: Any, password: str, code: str) -> None:
    """Switch two-step verification off: needs the password and a current code."""
    count = _reserve_attempt(user)
    if not user.check_password(password or ""):
        _attempt_failed(user, count)
        raise TwoStepError(_("The password is not right."), field="password")
    if not (_check_totp(user=user, code=code) or use_recovery_code(user=user, code=code)):
        _attempt_failed(user, count)
        raise TwoStepError(_("That code is not right or was already used. Enter the current "
                             "code shown by your authenticator app."), field="code")
    _attempt_succeeded(user)
    with transaction.atomic():
        deleted, _rows = TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        if deleted:
            record_event(actor=user, action="account.totp_disabled", obj=user)


def regenerate_recovery_codes(*, user: Any, code: str) -> list[str]:
    """New recovery codes (the old ones stop working); needs a current code."""
    count = _reserve_attempt(user)
    if not _check_totp(user=user, code=code):
        _attempt_failed(user, count)
        raise TwoStepError(_("That code is not right or was already used. Enter the current "
                             "code shown by your authenticator app."), field="code")
    _attempt_succeeded(user)
    with transaction.atomic():
        return _replace_recovery_codes(user)


# -- recovery codes ---------------------------------------------------------------------

def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in (code or "").lower() if ch in _ALPHABET)


def _hash_code(code: str, salt: str) -> str:
    digest = pbkdf2(normalise_recovery_code(code), salt, _PBKDF2_ITERATIONS)
    return f"{salt}${digest.hex()}"


def _new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _replace_recovery_codes(user: Any) -> list[str]:
    codes = [_new_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(user=user, code_hash=_hash_code(code, secrets.token_hex(8)))
        for code in codes
    )
    record_event(actor=user, action=RECOVERY_CODES_CREATED, obj=user,
                 after={"count": len(codes)})
    return codes


def recovery_codes_left(user: Any) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def use_recovery_code(*, user: Any, code: str) -> bool:
    """Spend one unused recovery code matching ``code``; False when none matches."""
    typed = normalise_recovery_code(code)
    if len(typed) != 10:
        return False
    for row in RecoveryCode.objects.filter(user=user, used_at__isnull=True):
        salt = row.code_hash.split("$", 1)[0]
        if constant_time_compare(_hash_code(typed, salt), row.code_hash):
            with transaction.atomic():
                spent = RecoveryCode.objects.filter(pk=row.pk, used_at__isnull=True).update(
                    used_at=timezone.now())
                if not spent:  # used by a simultaneous request
                    return False
                record_event(actor=user, action=RECOVERY_CODE_USED, obj=user,
                             after={"left": recovery_codes_left(user)})
            return True
    return False


# -- the organiser's reset --------------------------------------------------------------

def reset_two_step(*, actor: Any, user: Any, how_checked: str) -> None:
    """Remove a member's authenticator app and recovery codes (a lost phone), after the
    organiser checked who is asking; ``how_checked`` is kept in the audit log."""
    how_checked = (how_checked or "").strip()
    if len(how_checked) < 10:
        raise TwoStepError(_("Say how you checked that the request comes from this person "
                             "(for example: a video call with their ID card, or a call to "
                             "the number on file)."), field="how_checked")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        record_event(actor=actor, action=TWO_STEP_RESET, obj=user,
                     after={"username": user.get_username()}, reason=how_checked[:2000])
    counters.reset(_attempts_key(user))
