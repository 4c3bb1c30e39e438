"""Security events: refusals and account changes worth an organiser's attention.

They are ordinary events of the hash-chained audit log (``record_event``), named with the
actions below, so the chain proves them like any other change. The organiser's security page
(``web:security_events``) lists them for the organiser's editions and accounts.

Action names (shared with the sign-in and two-step services):

- ``security.login_locked``: an account was locked after too many wrong passwords;
- ``account.totp_enabled`` / ``account.totp_disabled``: two-step verification switched on or
  off (``security.two_step_enabled`` / ``security.two_step_disabled`` are read the same);
- ``security.upload_refused``: a file was refused by the upload checks (type, size, an
  archive that would expand too far);
- ``security.two_step_throttled``: too many wrong two-step codes; codes are refused for a while;
- ``security.recovery_codes_created`` / ``security.recovery_code_used``: recovery codes made
  (shown once) and one of them spent;
- ``security.two_step_reset``: an organiser removed a member's two-step verification after
  checking who they are (the check is the event's reason);
- ``security.login_unlocked``: an organiser lifted a member's sign-in lockout;
- ``security.password_changed`` / ``security.password_reset``: a password changed by its
  owner, or set anew from an e-mailed link.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from sayembara.common.services.audit import record_event

LOGIN_LOCKED = "security.login_locked"
UPLOAD_REFUSED = "security.upload_refused"
TWO_STEP_THROTTLED = "security.two_step_throttled"
RECOVERY_CODES_CREATED = "security.recovery_codes_created"
RECOVERY_CODE_USED = "security.recovery_code_used"
TWO_STEP_RESET = "security.two_step_reset"
PASSWORD_CHANGED = "security.password_changed"
PASSWORD_RESET = "security.password_reset"
LOGIN_UNLOCKED = "security.login_unlocked"
TWO_STEP_ENABLED = ("account.totp_enabled", "security.two_step_enabled")
TWO_STEP_DISABLED = ("account.totp_disabled", "security.two_step_disabled")
#: Every action the security page lists besides those starting with ``security.``.
ACCOUNT_SECURITY_ACTIONS = frozenset({*TWO_STEP_ENABLED, *TWO_STEP_DISABLED})


def is_security_action(action: str) -> bool:
    return action.startswith("security.") or action in ACCOUNT_SECURITY_ACTIONS


def record_refused_upload(
    *, actor: Any, obj: models.Model, upload: Any, purpose: str, error: ValidationError,
    source: str = "",
) -> None:
    """Audit a file the upload checks refused (kept even though nothing else was saved).

    ``obj`` is what the file was meant for (an entry); ``source`` names the form when the
    person is not signed in (``"uji_publik"``).
    """
    codes = sorted({getattr(item, "code", None) or "invalid" for item in error.error_list})
    record_event(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=UPLOAD_REFUSED, obj=obj,
        after={"name": (getattr(upload, "name", "") or "")[:255],
               "size": getattr(upload, "size", None), "purpose": str(purpose),
               "problem": codes, **({"source": source} if source else {})},
        reason=" ".join(error.messages)[:2000],
    )
