"""Sign-in lockout: django-axes with its counts kept in the shared counters.

django-axes wires the lockout into Django's sign-in (its authentication backend refuses a
locked account before any password is checked, its signals report each failure and success,
its middleware turns a refusal into the lockout answer). This handler keeps axes' counts in
:mod:`sayembara.common.services.counters`, shared by every server process, under two
separate keys:

- the **account** (the typed username, case-folded): after ``AXES_FAILURE_LIMIT`` wrong
  passwords the account is locked for ``AXES_COOLOFF_TIME``, whatever address the
  attempts come from. An attempt is counted *before* its password is checked (one atomic
  increment), so twelve simultaneous wrong passwords count exactly twelve and only the first
  ``AXES_FAILURE_LIMIT`` of them are checked at all;
- the **address** (``common.clientip``, behind trusted proxies): failures from one address
  over ``LOGIN_ADDRESS_FAILURE_LIMIT`` never lock anybody out (behind a proxy or in one
  office, many people share an address); sign-in from that address then asks for the
  anti-robot check, which a browser solves by itself and a password-guessing script pays
  for on every attempt.

A successful sign-in clears its account's count. The lock is written to the audit log
(``security.login_locked``), so the organiser's security events page lists it.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.base import AbstractAxesHandler, AxesBaseHandler
from axes.helpers import get_client_username
from django.conf import settings

from sayembara.common.services import counters
from sayembara.common.services.audit import record_event
from sayembara.common.services.security import LOGIN_LOCKED, LOGIN_UNLOCKED

ACCOUNT_PREFIX = "login-account:"
ADDRESS_PREFIX = "login-address:"


def failure_limit() -> int:
    return int(settings.AXES_FAILURE_LIMIT)


def cooloff_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def address_limit() -> int:
    return int(settings.LOGIN_ADDRESS_FAILURE_LIMIT)


def account_key(username: str) -> str:
    return ACCOUNT_PREFIX + (username or "").strip().casefold()[:150]


def address_key(ip: str | None) -> str:
    return ADDRESS_PREFIX + (ip or "")


def account_failures(username: str) -> int:
    return counters.get(account_key(username))


def address_failures(ip: str | None) -> int:
    return counters.get(address_key(ip)) if ip else 0


def address_is_suspect(ip: str | None) -> bool:
    """More failed sign-ins from this address than a person makes: ask for the check."""
    return bool(ip) and address_failures(ip) >= address_limit()


def minutes_left(username: str) -> int:
    seconds = counters.seconds_left(account_key(username))
    return max(1, -(-seconds // 60)) if seconds else 0


def is_account_locked(username: str) -> bool:
    return bool(username) and account_failures(username) >= failure_limit()


def unlock_account(username: str) -> None:
    counters.reset(account_key(username))


def unlock_by_organiser(*, actor: Any, user: Any) -> None:
    """The secretariat lifts a member's lockout (after hearing from them); audited."""
    failures = account_failures(user.get_username())
    unlock_account(user.get_username())
    record_event(actor=actor, action=LOGIN_UNLOCKED, obj=user,
                 after={"username": user.get_username(), "failures": failures})


class SharedCounterHandler(AbstractAxesHandler, AxesBaseHandler):
    """django-axes handler (``AXES_HANDLER``) on the shared counters."""

    def _username(self, request, credentials) -> str:
        return (get_client_username(request, credentials) or "").strip()

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        """Reserve this attempt's place in the account's count, then compare."""
        username = self._username(request, credentials)
        if not username or request is None:
            return False
        if getattr(request, "sayembara_attempt", None) is not None:
            return request.sayembara_attempt > failure_limit()
        count = counters.incr(account_key(username), ttl=cooloff_seconds())
        request.sayembara_attempt = count
        locked = count > failure_limit()
        if locked:
            request.axes_locked_out = True
        return locked

    def get_failures(self, request, credentials: dict | None = None) -> int:
        username = self._username(request, credentials)
        return account_failures(username) if username else 0

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs: Any):
        if request is None:
            return
        username = self._username(request, credentials)
        ip = getattr(request, "axes_ip_address", None)
        if ip:
            counters.incr(address_key(ip), ttl=cooloff_seconds())
        attempt = getattr(request, "sayembara_attempt", None)
        if attempt is None and username:  # a path that skipped the backend's check
            attempt = counters.incr(account_key(username), ttl=cooloff_seconds())
        if attempt == failure_limit():
            # This failure locks the account: the lock lasts the whole cool-off from now.
            counters.extend(account_key(username), ttl=cooloff_seconds())
            _record_lock(username=username, ip=ip, failures=attempt)

    def user_logged_in(self, sender, request, user, **kwargs: Any):
        username = getattr(user, "get_username", lambda: "")()
        if username:
            counters.reset(account_key(username))
        typed = self._username(request, None) if request is not None else ""
        if typed and typed.casefold() != username.casefold():
            counters.reset(account_key(typed))

    def user_logged_out(self, sender, request, user, **kwargs: Any):
        return None

    def reset_attempts(self, *, ip_address: str | None = None, username: str | None = None,
                       ip_or_username: bool = False) -> int:
        """``axes_reset_username`` / ``axes_reset_ip`` and the organiser's unlock."""
        reset = 0
        if username:
            reset += 1 if account_failures(username) else 0
            unlock_account(username)
        if ip_address:
            reset += 1 if address_failures(ip_address) else 0
            counters.reset(address_key(ip_address))
        return reset


def _record_lock(*, username: str, ip: str | None, failures: int) -> None:
    from sayembara.accounts.models import User

    user = User.objects.filter(username__iexact=username).first()
    record_event(
        actor=None, action=LOGIN_LOCKED, obj=user,
        after={"username": username[:150], "ip": ip or "", "failures": failures,
               "minutes": cooloff_seconds() // 60},
    )
