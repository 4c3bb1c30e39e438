"""Passwords: a new one from an e-mailed link, or changed by its owner (audited)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara.accounts.services.lockout import unlock_account
from sayembara.common.addresses import public_url
from sayembara.common.services.audit import record_event
from sayembara.common.services.security import PASSWORD_CHANGED, PASSWORD_RESET


def reset_link(user: Any) -> str:
    """The address that lets ``user`` set a new password (valid for
    ``PASSWORD_RESET_TIMEOUT``, and only until the password changes or they sign in)."""
    return public_url("accounts:password_reset_confirm",
                      uidb64=urlsafe_base64_encode(force_bytes(user.pk)),
                      token=default_token_generator.make_token(user))


def deliver_password_reset(*, user_id: int, language: str) -> None:
    from sayembara.accounts.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email:
        return
    hours = max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)
    with translation.override(language):
        subject = _("Set a new password for Sayembara")
        body = ngettext(
            "Dear %(name)s,\n\nSomeone (we hope you) asked for a new password for the "
            "Sayembara account %(username)s. Open this link to set it:\n\n%(link)s\n\n"
            "The link works for %(hours)s hour and only once. If you did not ask, ignore "
            "this message: your password stays as it is.\n",
            "Dear %(name)s,\n\nSomeone (we hope you) asked for a new password for the "
            "Sayembara account %(username)s. Open this link to set it:\n\n%(link)s\n\n"
            "The link works for %(hours)s hours and only once. If you did not ask, ignore "
            "this message: your password stays as it is.\n", hours
        ) % {"name": user.display_name, "username": user.get_username(),
             "link": reset_link(user), "hours": hours}
    send_mail(subject, body, None, [user.email])


def record_password_reset(*, user: Any) -> None:
    """A new password was set from the e-mailed link: the account is unlocked too."""
    record_event(actor=user, action=PASSWORD_RESET, obj=user)
    unlock_account(user.get_username())


def record_password_changed(*, user: Any) -> None:
    record_event(actor=user, action=PASSWORD_CHANGED, obj=user)
