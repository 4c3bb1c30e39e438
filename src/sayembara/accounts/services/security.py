"""TOTP two-step verification (the sign-in lockout is in accounts.services.lockout)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pyotp
from django.db import transaction
from django.utils import timezone

from sayembara.accounts.models import TOTPDevice
from sayembara.common.services.audit import record_event

SESSION_VERIFIED_KEY = "sayembara_2fa_verified"


def user_needs_second_factor(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def start_totp_enrolment(*, user: Any) -> TOTPDevice:
    """A new secret for an authenticator app; active only after a first correct code."""
    device, _ = TOTPDevice.objects.update_or_create(
        user=user,
        defaults={"secret": pyotp.random_base32(), "confirmed": False, "last_counter": -1},
    )
    return device


def provisioning_uri(device: TOTPDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(
        name=device.user.email or device.user.username, issuer_name="Sayembara"
    )


def check_totp_code(*, user: Any, code: str) -> bool:
    """Accept a 6-digit code once (the same time step is never accepted twice)."""
    code = "".join(ch for ch in code if ch.isdigit())
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
                was_confirmed = device.confirmed
                device.last_counter = counter
                device.confirmed = True
                device.save(update_fields=["last_counter", "confirmed"])
                if not was_confirmed:
                    record_event(actor=user, action="account.totp_enabled", obj=user)
                return True
    return False


def disable_totp(*, user: Any) -> None:
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        record_event(actor=user, action="account.totp_disabled", obj=user)
