"""Who delivers one-time codes. E-mail is built in; an SMS or WhatsApp gateway is a class
with the same ``send`` method named in ``settings.VOTING_CODE_SENDERS`` under its channel."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from sayembara.common.timefmt import format_datetime

DEFAULT_SENDERS = {"email": "sayembara.voting.senders.EmailCodeSender"}


class CodeSender(Protocol):
    """``expires_at`` is given in the zone of the competition the code is for."""

    def send(self, *, address: str, code: str, expires_at: dt.datetime) -> None: ...


class EmailCodeSender:
    def send(self, *, address: str, code: str, expires_at: dt.datetime) -> None:
        send_mail(
            subject=_("Your Sayembara code: %(code)s") % {"code": code},
            message=_(
                "Your one-time code is %(code)s.\n\nType it on the page where you asked for "
                "it. It is valid until %(time)s. If you did not ask for a code, ignore this "
                "message."
            ) % {"code": code, "time": format_datetime(expires_at, expires_at.tzname())},
            from_email=None,
            recipient_list=[address],
        )


def sender_for(channel: str) -> CodeSender:
    senders = {**DEFAULT_SENDERS, **getattr(settings, "VOTING_CODE_SENDERS", {})}
    return import_string(senders[channel])()
